/*
 * The reference for speed: the tutorial's mini-batch SGD on the MAE loss as the plain
 * single-threaded C program a user would write. A fresh Fisher-Yates shuffle of 0..n-1 every
 * epoch, straightforward float sums, whatever gcc -O3 -march=native makes of them.
 *
 * NOT bit-compatible with docs/algorithm.md: its own data, start, shuffle and summation order.
 * Only its time is compared (make bench-cpu); linreg_sgd.c is the bit-exact yardstick.
 *
 * The features are fixed when it is compiled, as in the tutorial (4; -DD=... for others): gcc
 * then unrolls the feature loops, twice as fast as with D read at run time.
 *
 * Build: make -C bench/c   (gcc -O3 -march=native)
 * Usage: linreg_plain --samples N [--features D] [--batch B] [--epochs E] [--lr LR] [--seed S] [--quiet]
 * Output: "epoch %03d: loss: %.6f" lines (unless --quiet), then one JSON line with the
 * per-epoch seconds (each epoch's shuffle included) and losses.
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef D
#define D 4
#endif

static uint64_t state;

/* SplitMix64: a fast, good generator. */
static uint64_t next_u64(void) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in 0..bound-1 by a multiply and shift (bias below 2^-32 for bound < 2^31). */
static uint32_t below(uint32_t bound) { return (uint32_t)(((next_u64() >> 32) * bound) >> 32); }

static double normal(void) {
    double u = ((next_u64() >> 11) + 1) * 0x1.0p-53, v = (next_u64() >> 11) * 0x1.0p-53;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    long n = 0, d = D, batch = 16, epochs = 50;
    float lr = 0.05f;
    uint64_t seed = 0;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quiet")) { quiet = 1; continue; }
        if (i + 1 >= argc) { fprintf(stderr, "linreg_plain: missing value for %s\n", argv[i]); return 2; }
        const char *a = argv[i], *v = argv[++i];
        if (!strcmp(a, "--samples")) n = atol(v);
        else if (!strcmp(a, "--features")) d = atol(v);
        else if (!strcmp(a, "--batch")) batch = atol(v);
        else if (!strcmp(a, "--epochs")) epochs = atol(v);
        else if (!strcmp(a, "--lr")) lr = strtof(v, NULL);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, NULL, 10);
        else { fprintf(stderr, "linreg_plain: unknown option %s\n", a); return 2; }
    }
    if (n < 1 || d != D || batch < 1 || epochs < 0 || n > 2147483647L) {
        fprintf(stderr, "linreg_plain: need --samples N >= 1 and --features %d (built with -DD=%d)\n", D, D);
        return 2;
    }
    float *x = malloc(sizeof(float) * n * d), *y = malloc(sizeof(float) * n);
    float w[D], g[D];
    uint32_t *order = malloc(sizeof(uint32_t) * n);
    double *seconds = malloc(sizeof(double) * (epochs + 1)), *losses = malloc(sizeof(double) * (epochs + 1));
    if (!x || !y || !order || !seconds || !losses) { fprintf(stderr, "linreg_plain: out of memory\n"); return 2; }

    /* The tutorial's create_data: X ~ N(0, 1), y = X w* + 1.1 + N(0, 0.01); then w0 ~ N(0, 0.01), b0 = 0.01. */
    static const double tutorial_w[4] = {10, 7, 5, 2};
    state = seed;
    for (long i = 0; i < n; i++) {
        double t = 1.1;
        for (long j = 0; j < d; j++) {
            x[i * d + j] = (float)normal();
            t += x[i * d + j] * (d == 4 ? tutorial_w[j] : (j % 7) - 3);
        }
        y[i] = (float)(t + 0.01 * normal());
    }
    for (long j = 0; j < D; j++) w[j] = (float)(0.01 * normal());
    float b = 0.01f;

    for (long e = 0; e < epochs; e++) {
        double t0 = now(), loss = 0;
        for (long i = 0; i < n; i++) order[i] = (uint32_t)i;
        for (long i = n - 1; i > 0; i--) {
            uint32_t k = below((uint32_t)i + 1), t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
        for (long from = 0; from < n; from += batch) {
            long m = n - from < batch ? n - from : batch;
            float batch_loss = 0, gb = 0;
            memset(g, 0, sizeof g);
            for (long k = from; k < from + m; k++) {
                const float *xi = x + (size_t)order[k] * D;
                float pred = b;
                for (int j = 0; j < D; j++) pred += xi[j] * w[j];
                float diff = pred - y[order[k]];
                float s = (float)((diff > 0) - (diff < 0)); /* branch-free: the sign is a coin flip */
                batch_loss += fabsf(diff);
                for (int j = 0; j < D; j++) g[j] += s * xi[j];
                gb += s;
            }
            for (int j = 0; j < D; j++) w[j] -= lr * g[j] / m;
            b -= lr * gb / m;
            loss += batch_loss / m;
        }
        seconds[e] = now() - t0;
        losses[e] = loss;
        if (!quiet) printf("epoch %03ld: loss: %.6f\n", e, loss);
    }
    printf("{\"impl\": \"c-plain\", \"n\": %ld, \"d\": %ld, \"batch\": %ld, \"epochs\": %ld, \"epoch_seconds\": [", n, d, batch, epochs);
    for (long e = 0; e < epochs; e++) printf("%s%.9f", e ? ", " : "", seconds[e]);
    printf("], \"epoch_loss\": [");
    for (long e = 0; e < epochs; e++) printf("%s%.17g", e ? ", " : "", losses[e]);
    printf("]}\n");
    return 0;
}
