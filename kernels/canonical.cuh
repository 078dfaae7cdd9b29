// Shared pieces of the bit-exact contract (docs/algorithm.md): seeds, the per-epoch Feistel
// permutation and the lane count of the canonical reduction.
//
// The same header compiles as plain C++ on the host (no __CUDACC__), so KernelHostCodeTest can
// check it against the Java reference with g++. Only uint32_t/uint64_t arithmetic is used: it
// wraps exactly like Java's int/long, and >> on unsigned types is Java's >>>.
#ifndef LINREG_CANONICAL_CUH
#define LINREG_CANONICAL_CUH

#include <stdint.h>

#ifdef __CUDACC__
#define LINREG_HD __host__ __device__ __forceinline__
#else
#define LINREG_HD static inline
#endif

#define LINREG_GOLDEN 0x9E3779B97F4A7C15ULL
#define LINREG_ROUNDS 8     // Feistel rounds (Permutation.ROUNDS)
#define LINREG_LANES 256     // widest lane count of the canonical sum (MaeGradient.LANES)
#define LINREG_SEGMENT 1024  // items per segment (MaeGradient.SEGMENT)

// SplitMix64's finaliser (Seeds.mix64).
LINREG_HD uint64_t linreg_mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Seeds.stream(seed, s).
LINREG_HD uint64_t linreg_stream(uint64_t seed, uint64_t s) {
    return linreg_mix64(linreg_mix64(seed) + s * LINREG_GOLDEN);
}

// Feistel round function F(v, key) (Permutation.round); callers keep its top bits.
LINREG_HD uint32_t linreg_round(uint32_t half, uint32_t key) {
    return (((half ^ key) * 0x9E3779B1u) ^ key) * 0x85EBCA6Bu;
}

// Everything a thread needs to compute perm(i) of one epoch; small enough for shared memory.
typedef struct {
    uint32_t n;
    uint32_t lowBits;
    uint32_t lowMask;
    uint32_t lowShift;   // 32 - lowBits: F's top lowBits bits (1..31, so never a shift by 32)
    uint32_t highShift;  // 32 - highBits
    uint32_t key[LINREG_ROUNDS];
} linreg_perm_t;

// Set up epoch `epoch` (0-based, taken as unsigned) of a permutation of 0..n-1, n >= 1.
// permSeed is already stream(seed, PERMUTATION), as Permutation.of takes it.
LINREG_HD linreg_perm_t linreg_perm_make(uint32_t n, uint64_t permSeed, uint32_t epoch) {
    linreg_perm_t p;
    uint64_t base = linreg_mix64(linreg_mix64(permSeed) + (uint64_t)epoch);
    for (uint32_t r = 0; r < LINREG_ROUNDS; r++) {
        p.key[r] = (uint32_t)(linreg_mix64(base + (uint64_t)(r + 1) * LINREG_GOLDEN) >> 32);
    }
    // k = max(2, ceil(log2 n)): the smallest 2^k >= n. 64-bit compare: n may be near 2^31.
    uint32_t bits = 2;
    while (((uint64_t)1 << bits) < (uint64_t)n) {
        bits++;
    }
    p.n = n;
    p.lowBits = bits / 2;
    p.lowMask = (1u << p.lowBits) - 1u;
    p.lowShift = 32u - p.lowBits;
    p.highShift = 32u - (bits - p.lowBits);
    return p;
}

// One pass of the Feistel network over 0..2^k-1: each round xors one half with the top bits of
// F of the other.
LINREG_HD uint32_t linreg_feistel(const linreg_perm_t* p, uint32_t v) {
    uint32_t hi = v >> p->lowBits;
    uint32_t lo = v & p->lowMask;
    for (int r = 0; r < LINREG_ROUNDS; r += 2) {
        hi ^= linreg_round(lo, p->key[r]) >> p->highShift;
        lo ^= linreg_round(hi, p->key[r + 1]) >> p->lowShift;
    }
    return (hi << p->lowBits) | lo;
}

// perm(i) for 0 <= i < n: cycle walking keeps the Feistel bijection inside 0..n-1.
LINREG_HD uint32_t linreg_perm(const linreg_perm_t* p, uint32_t i) {
    uint32_t v = i;
    do {
        v = linreg_feistel(p, v);
    } while (v >= p->n);
    return v;
}

// Lanes of a sum of m items: m >= 256 ? 256 : next power of two (1 for m <= 1).
LINREG_HD uint32_t linreg_lanes(uint32_t m) {
    if (m >= LINREG_LANES) {
        return LINREG_LANES;
    }
    uint32_t l = 1;
    while (l < m) {
        l <<= 1;
    }
    return l;
}

// Quantities of a batch's sums, in this order: S, G_b, G_0..G_{d-1}, then V = Σv for weighted rows
// (docs/algorithm.md §4, "Sample weights"; MaeGradient's out array). V is one more canonical sum.
LINREG_HD uint32_t linreg_quantities(uint32_t d, int weighted) {
    return d + 2u + (weighted ? 1u : 0u);
}

#endif  // LINREG_CANONICAL_CUH
