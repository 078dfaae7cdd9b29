/* A fake libcurand.so.10 (version node libcurand.so.10; fake_curand.map) for the tests with fake
 * CUDA libraries. "Normal" draws are a counter-based sequence Java can reproduce exactly
 * (FakeCuda.draw): value k after seeding is ((mix64(seed + (k + 1)·GOLDEN) >> 42) − 2^21) / 2^20,
 * a float in [−2, 2), times stddev plus mean. */
#include <stdint.h>
#include <stdlib.h>

typedef struct { uint64_t seed, next; } gen_t;

static uint64_t mix64(uint64_t z) {  /* SplitMix64's finaliser, as linreg.spec.Seeds.mix64 */
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

int curandGetVersion(int *v) { *v = 10400; return 0; }
int curandCreateGenerator(gen_t **g, int type) {
  if (type < 100 || type > 199) return 104; /* CURAND_STATUS_TYPE_ERROR: pseudo-random types only */
  *g = calloc(1, sizeof(gen_t));
  return *g ? 0 : 102;
}
int curandDestroyGenerator(gen_t *g) { free(g); return 0; }
int curandSetStream(gen_t *g, void *stream) { return 0; }
int curandSetGeneratorOrdering(gen_t *g, int order) { return 0; }
int curandSetPseudoRandomGeneratorSeed(gen_t *g, unsigned long long seed) { g->seed = seed; g->next = 0; return 0; }
int curandSetGeneratorOffset(gen_t *g, unsigned long long offset) { g->next = offset; return 0; }
int curandGenerateNormal(gen_t *g, float *out, size_t n, float mean, float stddev) {
  if (n % 2) return 105; /* CURAND_STATUS_LENGTH_NOT_MULTIPLE */
  for (size_t i = 0; i < n; i++, g->next++) {
    uint64_t z = mix64(g->seed + (g->next + 1) * 0x9E3779B97F4A7C15ULL);
    float v = (float)((int64_t)(z >> 42) - (1LL << 21)) / 1048576.0f;
    out[i] = mean + stddev * v;
  }
  return 0;
}
