// A fake libcuda.so.1 for CudaHostsTest and DeviceDataOnFakeCudaTest: one GPU of compute
// capability 9.0 ("Fake GPU") whose "device memory" is host memory. It accepts the project's PTX
// modules (checking the ISA header and that each kernel asked for is in its module) and runs one
// kernel, finish_targets, on the CPU from kernels/data.cu itself, so that DeviceDataGenerator's
// launch can be checked without a GPU; every other launch is accepted and does nothing. Only the
// functions linreg calls exist: libJCudaDriver binds lazily, and the graph and cooperative-launch
// functions are left out on purpose (DriverSymbols then keeps linreg off them).
// FAKE_CUDA_TRACE=1 names each kernel on stderr at its first launch.
#include "cuda_emu.h"
#include "data.cu"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

namespace {
typedef unsigned long long Ptr;
int inited, ctx, stream, event;
struct Module { std::string ptx; };
struct Function { std::string name; bool launched; };

bool trace() {
    const char* t = getenv("FAKE_CUDA_TRACE");
    return t && *t == '1';
}

void launchFinishTargets(unsigned grid, unsigned block, void** p) {
    float* y = (float*)(size_t)*(Ptr*)p[0];
    const float* X = (const float*)(size_t)*(Ptr*)p[1];
    const float* w = (const float*)(size_t)*(Ptr*)p[2];
    const float* noise = (const float*)(size_t)*(Ptr*)p[3];
    int n = *(int*)p[4], d = *(int*)p[5];
    float trueB = *(float*)p[6], noiseStd = *(float*)p[7];
    gridDim = {grid, 1, 1};
    blockDim = {block, 1, 1};
    for (unsigned b = 0; b < grid; b++) {  // a grid-stride loop without barriers: threads in turn
        for (unsigned t = 0; t < block; t++) {
            blockIdx = {b, 0, 0};
            threadIdx = {t, 0, 0};
            finish_targets(y, X, w, noise, n, d, trueB, noiseStd);
        }
    }
}
}  // namespace

extern "C" {
typedef int CUresult;

CUresult cuInit(unsigned flags) { inited = 1; return flags == 0 ? 0 : 1; }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return 0; }
CUresult cuDeviceGetCount(int* n) { *n = inited; return inited ? 0 : 3; }
CUresult cuDeviceGet(int* dev, int ordinal) { *dev = ordinal; return ordinal == 0 ? 0 : 101; }
CUresult cuDeviceGetName(char* name, int len, int) { snprintf(name, len, "Fake GPU"); return 0; }
CUresult cuDeviceGetAttribute(int* v, int attr, int) {
    *v = attr == 75 ? 9 : attr == 76 ? 0 : attr == 16 ? 4 : 1;  // 9.0, 4 SMs, the rest 1
    return 0;
}
CUresult cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = (size_t)8 << 30; return 0; }
CUresult cuDevicePrimaryCtxRetain(void** c, int) { *c = &ctx; return 0; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return 0; }
CUresult cuDevicePrimaryCtxReset_v2(int) { return 0; }
CUresult cuCtxSetCurrent(void* c) { return c == nullptr || c == &ctx ? 0 : 201; }
CUresult cuCtxSynchronize(void) { return 0; }
CUresult cuStreamCreate(void** s, unsigned) { *s = &stream; return 0; }
CUresult cuStreamDestroy_v2(void*) { return 0; }
CUresult cuStreamSynchronize(void*) { return 0; }
CUresult cuMemGetInfo_v2(size_t* free, size_t* total) { *free = (size_t)7 << 30; *total = (size_t)8 << 30; return 0; }
CUresult cuMemAlloc_v2(Ptr* p, size_t n) { *p = (Ptr)(size_t)calloc(1, n); return *p ? 0 : 2; }
CUresult cuMemFree_v2(Ptr p) { free((void*)(size_t)p); return 0; }
CUresult cuMemAllocHost_v2(void** p, size_t n) { *p = calloc(1, n); return *p ? 0 : 2; }
CUresult cuMemFreeHost(void* p) { free(p); return 0; }
CUresult cuMemcpyHtoD_v2(Ptr d, const void* s, size_t n) { memcpy((void*)(size_t)d, s, n); return 0; }
CUresult cuMemcpyDtoH_v2(void* d, Ptr s, size_t n) { memcpy(d, (void*)(size_t)s, n); return 0; }
CUresult cuMemcpyHtoDAsync_v2(Ptr d, const void* s, size_t n, void*) { return cuMemcpyHtoD_v2(d, s, n); }
CUresult cuMemcpyDtoHAsync_v2(void* d, Ptr s, size_t n, void*) { return cuMemcpyDtoH_v2(d, s, n); }
CUresult cuMemcpyDtoDAsync_v2(Ptr d, Ptr s, size_t n, void*) { memmove((void*)(size_t)d, (void*)(size_t)s, n); return 0; }
CUresult cuMemsetD8Async(Ptr d, unsigned char v, size_t n, void*) { memset((void*)(size_t)d, v, n); return 0; }
CUresult cuMemsetD32Async(Ptr d, unsigned v, size_t n, void*) {
    for (size_t i = 0; i < n; i++) ((unsigned*)(size_t)d)[i] = v;
    return 0;
}
CUresult cuEventCreate(void** e, unsigned) { *e = &event; return 0; }
CUresult cuEventDestroy_v2(void*) { return 0; }
CUresult cuEventRecord(void*, void*) { return 0; }
CUresult cuEventSynchronize(void*) { return 0; }
CUresult cuEventElapsedTime(float* ms, void*, void*) { *ms = 0.01f; return 0; }

CUresult cuModuleLoadData(void** module, const void* image) {
    const char* ptx = (const char*)image;
    if (!strstr(ptx, "\n.version 7.8") || !strstr(ptx, "\n.target sm_75")) {
        fprintf(stderr, "fake cuda: a module without .version 7.8 / .target sm_75\n");
        return 218;  // CUDA_ERROR_INVALID_PTX
    }
    *module = new Module{ptx};
    return 0;
}
CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
    if (((Module*)module)->ptx.find(".entry " + std::string(name) + "(") == std::string::npos) {
        return 500;  // CUDA_ERROR_NOT_FOUND
    }
    *f = new Function{name, false};
    return 0;
}
CUresult cuModuleUnload(void* module) { delete (Module*)module; return 0; }
CUresult cuLaunchKernel(void* f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned, void*, void** params, void**) {
    Function* function = (Function*)f;
    const std::string& name = function->name;
    if (gx * gy * gz == 0 || bx * by * bz == 0 || bx * by * bz > 1024) return 1;  // CUDA_ERROR_INVALID_VALUE
    if (trace() && !function->launched) fprintf(stderr, "fake cuda: launch %s\n", name.c_str());
    function->launched = true;
    if (name == "finish_targets") launchFinishTargets(gx, bx, params);
    return 0;
}
}
