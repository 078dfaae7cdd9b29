package linreg.gpu;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import jcuda.jcurand.curandStatus;

/** Turns the status codes of the driver API, cuBLAS and cuRAND into exceptions that name the call. */
final class Status {
    private Status() {}

    static void cuda(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new GpuException(call + " failed: " + CUresult.stringFor(result));
        }
    }

    static void cublas(int result, String call) {
        if (result != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new GpuException(call + " failed: " + cublasStatus.stringFor(result));
        }
    }

    static void curand(int result, String call) {
        if (result != curandStatus.CURAND_STATUS_SUCCESS) {
            throw new GpuException(call + " failed: " + curandStatus.stringFor(result));
        }
    }
}
