/* A fake libcublas.so.13 (version node libcublas.so.13; fake_cublas13.map) for the tests of the
 * cuBLAS shim and of the pipeline on fake CUDA libraries: cuBLAS 13.0.0 whose functions compute on
 * host pointers (the fake driver's "device memory" is host memory). Only what JCublas2 and the
 * pipeline call is here. FAKE_CUBLAS_TRACE=1 prints each cublasCreate to stderr. */
#include <stdio.h>
#include <stdlib.h>

typedef void *cublasHandle_t;
#define FAKE_HANDLE ((cublasHandle_t)0x5eed0001)
#define INVALID 7 /* CUBLAS_STATUS_INVALID_VALUE */

int cublasGetProperty(int type, int *value) {
  if (type < 0 || type > 2) return INVALID;
  *value = type == 0 ? 13 : 0; /* MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL: 13.0.0 */
  return 0;
}
int cublasCreate_v2(cublasHandle_t *h) {
  const char *t = getenv("FAKE_CUBLAS_TRACE");
  if (t && *t == '1') fprintf(stderr, "fake cublas: cublasCreate\n");
  *h = FAKE_HANDLE;
  return 0;
}
int cublasDestroy_v2(cublasHandle_t h) { return h == FAKE_HANDLE ? 0 : INVALID; }
int cublasGetVersion_v2(cublasHandle_t h, int *version) {
  if (h != FAKE_HANDLE) return INVALID;
  *version = 130000;
  return 0;
}
int cublasSetStream_v2(cublasHandle_t h, void *stream) { return h == FAKE_HANDLE ? 0 : INVALID; }
int cublasSetPointerMode_v2(cublasHandle_t h, int mode) { return h == FAKE_HANDLE && (mode == 0 || mode == 1) ? 0 : INVALID; }

/* y = alpha·op(A)·x + beta·y, A column-major m×n with leading dimension lda, host-pointer scalars.
 * Twelve arguments: the last six come on the stack, which the shim must leave alone. */
int cublasSgemv_v2(cublasHandle_t h, int trans, int m, int n, const float *alpha, const float *A, int lda,
                   const float *x, int incx, const float *beta, float *y, int incy) {
  if (h != FAKE_HANDLE || lda < m || incx <= 0 || incy <= 0 || (trans != 0 && trans != 1)) return INVALID;
  int rows = trans == 0 ? m : n, cols = trans == 0 ? n : m;
  for (int r = 0; r < rows; r++) {
    float s = 0;
    for (int c = 0; c < cols; c++) s += (trans == 0 ? A[r + (long)c * lda] : A[c + (long)r * lda]) * x[c * incx];
    y[r * incy] = *beta == 0 ? *alpha * s : *alpha * s + *beta * y[r * incy];
  }
  return 0;
}
