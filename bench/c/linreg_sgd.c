/*
 * The yardstick: the tutorial's mini-batch SGD on the MAE loss as a plain single-threaded C
 * program, with the exact arithmetic of docs/algorithm.md (same permutation, same summation
 * order, same fma), so that its results are bit-identical to the Java CPU engine's on the same
 * data and start, and its speed is what one core can do with an optimising C compiler.
 *
 * Build: make -C bench/c   (gcc -O3 -march=native -ffp-contract=off: no implicit fma)
 * Usage: linreg_sgd --samples N --features D [--batch B] [--epochs E] [--lr LR] [--seed S]
 *                   [--data FILE] [--init-w W0,W1,...] [--init-b B] [--no-shuffle] [--quiet]
 *   --data FILE: raw little-endian float32, X (N*D, row-major) then y (N); without it the
 *   program draws its own N(0,1) data (its own generator: only the timing is comparable).
 * Output: "epoch %03d: loss: %.6f" lines (unless --quiet), then one JSON line with the
 * per-epoch seconds and losses (17 digits: exact doubles) and the final parameters as exact
 * hexadecimal floats.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LANES 256
#define SEGMENT 1024
#define GOLDEN 0x9E3779B97F4A7C15ULL

static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t stream_seed(uint64_t seed, uint64_t stream) { return mix64(mix64(seed) + stream * GOLDEN); }

#define ROUNDS 8

typedef struct {
    uint32_t n, low_bits, low_mask, low_shift, high_shift, key[ROUNDS];
} perm_t;

static perm_t perm_make(uint64_t perm_seed, uint32_t epoch, uint32_t n) {
    perm_t p;
    uint32_t bits = 2;
    while ((1ULL << bits) < n) bits++;
    p.n = n;
    p.low_bits = bits / 2;
    p.low_mask = (1u << p.low_bits) - 1;
    p.low_shift = 32 - p.low_bits;
    p.high_shift = 32 - (bits - p.low_bits);
    uint64_t base = mix64(mix64(perm_seed) + (uint64_t)epoch);
    for (int r = 0; r < ROUNDS; r++) p.key[r] = (uint32_t)(mix64(base + (uint64_t)(r + 1) * GOLDEN) >> 32);
    return p;
}

static inline uint32_t round_f(uint32_t v, uint32_t key) { return (((v ^ key) * 0x9E3779B1u) ^ key) * 0x85EBCA6Bu; }

static inline uint32_t perm_apply(const perm_t *p, uint32_t i) {
    uint32_t v = i;
    do {
        uint32_t hi = v >> p->low_bits, lo = v & p->low_mask;
        for (int r = 0; r < ROUNDS; r += 2) {
            hi ^= round_f(lo, p->key[r]) >> p->high_shift;
            lo ^= round_f(hi, p->key[r + 1]) >> p->low_shift;
        }
        v = (hi << p->low_bits) | lo;
    } while (v >= p->n);
    return v;
}

static int lanes_of(int m) {
    if (m >= LANES) return LANES;
    int l = 1;
    while (l < m) l <<= 1;
    return l;
}

static inline float residual(const float *x, const float *y, int d, uint32_t row, const float *params) {
    const float *xi = x + (size_t)row * d;
    float a = xi[0] * params[0];
    for (int j = 1; j < d; j++) a = fmaf(xi[j], params[j], a);
    return (a + params[d]) - y[row];
}

/* Branch-free on the sign (a coin flip per row); only r == 0 and NaN, both rare, branch. */
static inline float sign_of(float r) { return (r == 0.0f || r != r) ? 0.0f : copysignf(1.0f, r); }

/* Loss and gradient sums of one batch in the canonical order: out = S, G_b, G_0..G_{d-1}.
 * Lane partials are lane-major (acc[l*(d+2) + q]) so that a tree level is one contiguous loop.
 * Batches of at most 256 rows (one item per lane) take two passes, as the Java engine does:
 * first the residuals (independent loads of random rows, many in flight), then the lanes. */
static volatile float touched;

static void batch_sums(const float *x, const float *y, int d, const uint32_t *rows, int m, long rows_left,
                       const float *params, float *acc, float *res, float *out) {
    int lanes = lanes_of(m), qq = d + 2;
    for (int start = 0; start < m; start += SEGMENT) {
        int count = m - start < SEGMENT ? m - start : SEGMENT;
        if (m <= LANES) {
            for (int t = 0; t < m; t++) res[t] = residual(x, y, d, rows[t], params);
            for (int t = 0; t < m; t++) {
                const float *xi = x + (size_t)rows[t] * d;
                float s = sign_of(res[t]), *lane = acc + t * qq;
                lane[0] = 0.0f + fabsf(res[t]);
                lane[1] = 0.0f + s;
                for (int j = 0; j < d; j++) lane[2 + j] = 0.0f + s * xi[j];
            }
            memset(acc + m * qq, 0, sizeof(float) * (size_t)(lanes - m) * qq);
#ifdef LINREG_TOUCH_AHEAD
            /* Not plain C: the Java engine's trick of loading the next batch's rows early (it has
             * no prefetch instruction), built as linreg_sgd_touch to show what it is worth here. */
            float sum = 0.0f;
            for (int t = m; t < 2 * m && t < rows_left; t++) sum += x[(size_t)rows[t] * d] + y[rows[t]];
            touched = sum;
#else
            (void)rows_left;
#endif
        } else {
            memset(acc, 0, sizeof(float) * (size_t)lanes * qq);
            for (int t = 0; t < count; t++) {
                uint32_t row = rows[start + t];
                const float *xi = x + (size_t)row * d;
                float r = residual(x, y, d, row, params), s = sign_of(r), *lane = acc + (t & (lanes - 1)) * qq;
                lane[0] += fabsf(r);
                lane[1] += s;
                for (int j = 0; j < d; j++) lane[2 + j] += s * xi[j];
            }
        }
        for (int h = lanes >> 1; h > 0; h >>= 1)
            for (int i = 0; i < h * qq; i++) acc[i] += acc[i + h * qq];
        for (int q = 0; q < qq; q++) out[q] = start == 0 ? acc[q] : out[q] + acc[q];
    }
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void die(const char *msg, const char *arg) {
    fprintf(stderr, "linreg_sgd: %s%s\n", msg, arg ? arg : "");
    exit(2);
}

/* Own data when no file is given: xorshift64* and Box-Muller (timing runs only). */
static uint64_t rng_state;
static double uniform01(void) {
    rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
    return ((rng_state * 0x2545F4914F6CDD1DULL) >> 11) * 0x1.0p-53;
}
static double gaussian(void) {
    double u = uniform01(), v = uniform01();
    return sqrt(-2.0 * log(u > 0 ? u : 0x1.0p-53)) * cos(6.283185307179586 * v);
}

int main(int argc, char **argv) {
    long n = 0, d = 0, batch = 16, epochs = 50;
    float lr = 0.05f, init_b = 0.01f;
    uint64_t seed = 0;
    const char *data_file = NULL, *init_w_arg = NULL;
    int shuffle = 1, quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-shuffle")) { shuffle = 0; continue; }
        if (!strcmp(a, "--quiet")) { quiet = 1; continue; }
        if (!v) die("missing value for ", a);
        i++;
        if (!strcmp(a, "--samples")) n = atol(v);
        else if (!strcmp(a, "--features")) d = atol(v);
        else if (!strcmp(a, "--batch")) batch = atol(v);
        else if (!strcmp(a, "--epochs")) epochs = atol(v);
        else if (!strcmp(a, "--lr")) lr = strtof(v, NULL);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--data")) data_file = v;
        else if (!strcmp(a, "--init-w")) init_w_arg = v;
        else if (!strcmp(a, "--init-b")) init_b = strtof(v, NULL);
        else die("unknown option ", a);
    }
    if (n < 1 || d < 1 || batch < 1 || epochs < 0 || n > 2147483647L) die("need --samples N >= 1 and --features D >= 1", NULL);

    float *x = malloc(sizeof(float) * (size_t)n * d), *y = malloc(sizeof(float) * (size_t)n);
    float *params = calloc((size_t)d + 1, sizeof(float));
    float *acc = malloc(sizeof(float) * (size_t)(d + 2) * LANES), *res = malloc(sizeof(float) * LANES), *sums = malloc(sizeof(float) * (size_t)(d + 2));
    uint32_t *order = malloc(sizeof(uint32_t) * (size_t)n);
    double *epoch_seconds = malloc(sizeof(double) * (size_t)(epochs + 1)), *epoch_loss = malloc(sizeof(double) * (size_t)(epochs + 1));
    if (!x || !y || !params || !acc || !res || !sums || !order || !epoch_seconds || !epoch_loss) die("out of memory", NULL);
    if (data_file) {
        FILE *f = fopen(data_file, "rb");
        if (!f) die("cannot open ", data_file);
        if (fread(x, sizeof(float), (size_t)n * d, f) != (size_t)n * d || fread(y, sizeof(float), (size_t)n, f) != (size_t)n)
            die("short data file ", data_file);
        fclose(f);
    } else {
        rng_state = stream_seed(seed, 1) | 1;
        for (long i = 0; i < n; i++) {
            double t = 1.1;
            for (long j = 0; j < d; j++) { x[i * d + j] = (float)gaussian(); t += x[i * d + j] * (double)((j % 7) - 3); }
            y[i] = (float)(t + 0.01 * gaussian());
        }
    }
    if (init_w_arg) {
        char *end = (char *)init_w_arg;
        for (long j = 0; j < d; j++) {
            params[j] = strtof(end, &end);
            if (*end == ',') end++;
        }
    } else {
        rng_state = stream_seed(seed, 2) | 1;
        for (long j = 0; j < d; j++) params[j] = (float)(0.01 * gaussian());
    }
    params[d] = init_b;
    for (long i = 0; i < n; i++) order[i] = (uint32_t)i;

    uint64_t perm_seed = stream_seed(seed, 3);
    double t_start = now();
    for (long e = 0; e < epochs; e++) {
        double t0 = now();
        if (shuffle) {
            perm_t p = perm_make(perm_seed, (uint32_t)e, (uint32_t)n);
            for (long i = 0; i < n; i++) order[i] = perm_apply(&p, (uint32_t)i);
        }
        double loss = 0, abs_sum = 0;
        for (long from = 0; from < n; from += batch) {
            int m = (int)(n - from < batch ? n - from : batch);
            batch_sums(x, y, (int)d, order + from, m, n - from, params, acc, res, sums);
            float count = (float)m;
            loss += sums[0] / count;
            abs_sum += sums[0];
            for (long j = 0; j < d; j++) params[j] = fmaf(-lr, sums[2 + j] / count, params[j]);
            params[d] = fmaf(-lr, sums[1] / count, params[d]);
        }
        epoch_seconds[e] = now() - t0;
        epoch_loss[e] = loss;
        if (!quiet) printf("epoch %03ld: loss: %.6f\n", e, loss);
        if (!isfinite(loss)) { fprintf(stderr, "linreg_sgd: diverged at epoch %ld\n", e); return 1; }
    }
    double total = now() - t_start;
    printf("{\"impl\": \"c-yardstick\", \"n\": %ld, \"d\": %ld, \"batch\": %ld, \"epochs\": %ld, \"train_seconds\": %.9f, \"epoch_seconds\": [",
           n, d, batch, epochs, total);
    for (long e = 0; e < epochs; e++) printf("%s%.9f", e ? ", " : "", epoch_seconds[e]);
    printf("], \"epoch_loss\": [");
    for (long e = 0; e < epochs; e++) printf("%s%.17g", e ? ", " : "", epoch_loss[e]);
    printf("], \"w_hex\": [");
    for (long j = 0; j < d; j++) printf("%s\"%a\"", j ? ", " : "", params[j]);
    printf("], \"b_hex\": \"%a\"}\n", params[d]);
    return 0;
}
