// kernels/canonical.cuh compiled as plain C++ (see KernelHostCodeTest). Reads one query per line
// from stdin and answers one line each (numbers in hex are unsigned, without 0x):
//   stream SEED S          -> stream(SEED, S)
//   keys PERMSEED EPOCH    -> the LINREG_ROUNDS round keys
//   perm PERMSEED EPOCH N  -> perm(0) .. perm(N-1), decimal
//   lanes M                -> lanes(M), decimal
#include "canonical.cuh"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int main() {
    char cmd[16];
    while (scanf("%15s", cmd) == 1) {
        if (strcmp(cmd, "stream") == 0) {
            uint64_t seed, s;
            if (scanf("%" SCNx64 " %" SCNx64, &seed, &s) != 2) return 2;
            printf("%016" PRIx64 "\n", linreg_stream(seed, s));
        } else if (strcmp(cmd, "keys") == 0) {
            uint64_t seed;
            uint32_t epoch;
            if (scanf("%" SCNx64 " %" SCNu32, &seed, &epoch) != 2) return 2;
            linreg_perm_t p = linreg_perm_make(1, seed, epoch);
            for (int r = 0; r < LINREG_ROUNDS; r++) {
                printf(r ? " %08" PRIx32 : "%08" PRIx32, p.key[r]);
            }
            printf("\n");
        } else if (strcmp(cmd, "perm") == 0) {
            uint64_t seed;
            uint32_t epoch, n;
            if (scanf("%" SCNx64 " %" SCNu32 " %" SCNu32, &seed, &epoch, &n) != 3) return 2;
            linreg_perm_t p = linreg_perm_make(n, seed, epoch);
            for (uint32_t i = 0; i < n; i++) {
                printf(i ? " %" PRIu32 : "%" PRIu32, linreg_perm(&p, i));
            }
            printf("\n");
        } else if (strcmp(cmd, "lanes") == 0) {
            uint32_t m;
            if (scanf("%" SCNu32, &m) != 1) return 2;
            printf("%" PRIu32 "\n", linreg_lanes(m));
        } else {
            fprintf(stderr, "unknown query %s\n", cmd);
            return 2;
        }
        fflush(stdout);
    }
    return 0;
}
