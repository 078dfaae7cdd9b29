// A minimal host emulation of the CUDA features the kernels use, so that KernelHostCodeTest can
// run kernels/*.cu with g++ on a machine without a GPU and compare them bit for bit with the
// Java reference. Each CUDA thread of a block is a fiber (ucontext) on one OS thread: a fiber
// runs until it waits at a barrier or a warp shuffle, then a runnable one is picked in a chosen
// order. `launch` runs blocks one after another; `launch_cooperative` runs every block at once,
// each on its own OS thread, so that blocks can wait for each other (a grid barrier), as a
// cooperative launch's co-residency allows on a GPU. `__shared__` is a function-static,
// thread-local variable: one copy per OS thread, hence per running block. This checks
// arithmetic order, indexing and barrier placement; not GPU timing, and the memory model only as
// far as x86 and real threads exercise it, with one liberty of the PTX model made explicit: a
// weak load (__ldcg, __ldcv) may keep returning the value it first read until its thread passes
// a fence or a barrier, as a compiler that reads it once is allowed to. So a poll on a weak load
// never sees another block's write, and the launch hangs; a watchdog then ends the process with
// exit status 3 (LINREG_EMU_TIMEOUT_S seconds a launch, default 150, under the tests' 180) instead of hanging the tests.
#ifndef LINREG_CUDA_EMU_H
#define LINREG_CUDA_EMU_H

#if defined(__APPLE__) && !defined(_XOPEN_SOURCE)
#define _XOPEN_SOURCE 600  // macOS hides the (deprecated, still working) ucontext calls otherwise
#endif

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include <sched.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

struct dim3 {
    unsigned x, y, z;
};
struct alignas(16) float4 {
    float x, y, z, w;
};

inline thread_local dim3 threadIdx = {0, 0, 0};
inline thread_local dim3 blockIdx = {0, 0, 0};
inline dim3 blockDim = {1, 1, 1};
inline dim3 gridDim = {1, 1, 1};

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static thread_local
#define __launch_bounds__(...)

namespace emu {

// Barrier state: arrivals so far and a generation that advances when all have arrived.
struct Gate {
    unsigned arrived = 0;
    unsigned generation = 0;
};

struct Fiber {
    ucontext_t ctx;
    std::vector<char> stack;
    bool done;
    const Gate* gate;  // the gate this fiber waits at, or null
    unsigned generation;
    // What this thread's weak loads read since its last fence or barrier, by address: a weak
    // load of the same address returns it again.
    std::unordered_map<const void*, uint64_t> weak;
};

// Which runnable fiber goes next. The orders differ in how far one warp runs ahead of the others,
// so a missing barrier or a reused shared buffer shows up as a wrong result under one of them.
enum class Order { LowestFirst, HighestFirst, RoundRobin };

// One running block: its fibers and their gates.
struct Scheduler {
    ucontext_t main;
    std::vector<Fiber> fibers;
    unsigned current = 0;
    const std::function<void()>* kernel = nullptr;
    Gate block;
    std::vector<Gate> warps;
    std::vector<float> exchange;  // one slot per thread for warp shuffles
};
// Schedulers are kept between launches (fiber stacks are costly to allocate); block k of a
// cooperative launch uses pool[k], sequential launches pool[0].
inline std::vector<std::unique_ptr<Scheduler>> pool;
inline thread_local Scheduler* current_block = nullptr;
// The block running on this OS thread.
inline Scheduler& sched() { return *current_block; }

inline void fiber_main() {
    (*sched().kernel)();
    sched().fibers[sched().current].done = true;  // uc_link returns to the scheduler
}

// The running launch's start, for the watchdog (0: none running).
inline std::atomic<long long> launch_started_ns{0};

inline long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Ends the process (exit status 3, with a message) when one launch runs longer than
// LINREG_EMU_TIMEOUT_S seconds: a block then waits for something that never happens.
inline void watch_launches() {
    static std::once_flag once;
    std::call_once(once, [] {
        const char* env = getenv("LINREG_EMU_TIMEOUT_S");
        const double limit = env != nullptr && atof(env) > 0 ? atof(env) : 150.0;
        std::thread([limit] {
            for (;;) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                const long long started = launch_started_ns.load();
                if (started != 0 && (now_ns() - started) * 1e-9 > limit) {
                    fprintf(stderr, "kernels_emu: a launch still runs after %g s: a block waits for what never "
                                    "happens (a poll on a weak load, a grid barrier not every block reaches)\n",
                            limit);
                    fflush(stderr);
                    _exit(3);
                }
            }
        }).detach();
    });
}

// A fence or barrier of the running thread: its weak loads read memory again.
inline void forget_weak_loads();

// Waits until `width` fibers have arrived at `gate`; the last one to arrive runs on.
inline void wait(Gate& gate, unsigned width) {
    unsigned generation = gate.generation;
    if (++gate.arrived == width) {
        gate.arrived = 0;
        gate.generation++;
        return;
    }
    unsigned me = sched().current;
    sched().fibers[me].gate = &gate;
    sched().fibers[me].generation = generation;
    swapcontext(&sched().fibers[me].ctx, &sched().main);  // resumed once the gate opened
    sched().fibers[me].gate = nullptr;
    threadIdx = {me, 0, 0};
}

inline bool runnable(const Fiber& f) {
    return !f.done && (f.gate == nullptr || f.gate->generation != f.generation);
}

inline unsigned warp_width(unsigned w) {
    return blockDim.x - w * 32 < 32 ? blockDim.x - w * 32 : 32;
}

// Runs block bx of kernel() on the calling OS thread, its threads as fibers of pool[slot].
inline void run_block(unsigned slot, unsigned bx, unsigned threads, const std::function<void()>& kernel,
                      Order order) {
    const size_t stackBytes = 256 * 1024;
    current_block = pool[slot].get();
    blockIdx = {bx, 0, 0};
    sched().kernel = &kernel;
    sched().fibers.resize(threads);
    sched().block = Gate();
    sched().warps.assign((threads + 31) / 32, Gate());
    sched().exchange.assign(threads, 0.0f);
    for (Fiber& f : sched().fibers) {
        f.stack.resize(stackBytes);
        f.done = false;
        f.gate = nullptr;
        f.weak.clear();
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = f.stack.data();
        f.ctx.uc_stack.ss_size = f.stack.size();
        f.ctx.uc_link = &sched().main;
        makecontext(&f.ctx, fiber_main, 0);
    }
    unsigned next = 0;
    for (;;) {
        unsigned pick = threads;
        for (unsigned k = 0; k < threads && pick == threads; k++) {
            unsigned t = order == Order::LowestFirst    ? k
                         : order == Order::HighestFirst ? threads - 1 - k
                                                        : (next + k) % threads;
            if (runnable(sched().fibers[t])) {
                pick = t;
            }
        }
        if (pick == threads) {
            for (const Fiber& f : sched().fibers) {
                if (!f.done) {
                    fprintf(stderr, "deadlock in block %u: a barrier or shuffle that not every "
                                    "thread reaches\n", bx);
                    abort();
                }
            }
            break;
        }
        sched().current = pick;
        threadIdx = {pick, 0, 0};
        swapcontext(&sched().main, &sched().fibers[pick].ctx);
        next = pick + 1;
    }
    current_block = nullptr;
}

inline void ensure_pool(size_t blocks) {
    while (pool.size() < blocks) {
        pool.push_back(std::make_unique<Scheduler>());
    }
}

// Runs kernel() as grid x threads CUDA threads, block after block.
inline void launch(unsigned grid, unsigned threads, const std::function<void()>& kernel,
                   Order order = Order::LowestFirst) {
    watch_launches();
    gridDim = {grid, 1, 1};
    blockDim = {threads, 1, 1};
    ensure_pool(1);
    launch_started_ns = now_ns();
    for (unsigned bx = 0; bx < grid; bx++) {
        run_block(0, bx, threads, kernel, order);
    }
    launch_started_ns = 0;
}

// Runs kernel() as grid x threads CUDA threads with every block resident at once (an OS thread
// each), as cuLaunchCooperativeKernel guarantees: a block may wait for the others.
inline void launch_cooperative(unsigned grid, unsigned threads, const std::function<void()>& kernel,
                               Order order = Order::LowestFirst) {
    watch_launches();
    gridDim = {grid, 1, 1};
    blockDim = {threads, 1, 1};
    ensure_pool(grid);
    launch_started_ns = now_ns();
    std::vector<std::thread> blocks;
    for (unsigned bx = 0; bx < grid; bx++) {
        blocks.emplace_back([&, bx] { run_block(bx, bx, threads, kernel, order); });
    }
    for (std::thread& t : blocks) {
        t.join();
    }
    launch_started_ns = 0;
}

inline void forget_weak_loads() { sched().fibers[sched().current].weak.clear(); }

// A weak load: the value this thread read at p since its last fence or barrier, else memory now.
template <class T>
inline T weak_load(const T* p) {
    static_assert(sizeof(T) <= sizeof(uint64_t), "weak loads of at most 8 bytes");
    auto& seen = sched().fibers[sched().current].weak;
    auto it = seen.find(p);
    uint64_t bits = 0;
    if (it != seen.end()) {
        bits = it->second;
    } else {
        T now;
        __atomic_load(p, &now, __ATOMIC_RELAXED);
        memcpy(&bits, &now, sizeof(T));
        seen.emplace(p, bits);
    }
    T v;
    memcpy(&v, &bits, sizeof(T));
    return v;
}

}  // namespace emu

inline void __syncthreads() {
    emu::forget_weak_loads();
    emu::wait(emu::sched().block, blockDim.x);
}

// Full-warp shuffle: every lane of the warp must call it (the kernels only use full masks).
inline float __shfl_down_sync(unsigned, float v, unsigned delta) {
    unsigned t = threadIdx.x, w = t / 32, lane = t % 32, width = emu::warp_width(w);
    emu::sched().exchange[t] = v;
    emu::wait(emu::sched().warps[w], width);
    float r = lane + delta < width ? emu::sched().exchange[t + delta] : v;
    emu::wait(emu::sched().warps[w], width);
    return r;
}

// Full-warp xor shuffle (butterfly): lane gets the value of lane ^ mask.
inline float __shfl_xor_sync(unsigned, float v, int mask) {
    unsigned t = threadIdx.x, w = t / 32, lane = t % 32, width = emu::warp_width(w);
    emu::sched().exchange[t] = v;
    emu::wait(emu::sched().warps[w], width);
    unsigned from = lane ^ (unsigned)mask;
    float r = from < width ? emu::sched().exchange[w * 32 + from] : v;
    emu::wait(emu::sched().warps[w], width);
    return r;
}

// Loads that bypass L1 (cg) or fetch again (cv) on the GPU: weak loads all the same in PTX.
template <class T>
inline T __ldcg(const T* p) {
    return emu::weak_load(p);
}

inline unsigned __ldcv(const unsigned* p) {
    sched_yield();  // a poll: the block being waited for may need the core
    return emu::weak_load(p);
}

// ld.acquire.gpu (fused.cu's barrier poll): a strong load, so it sees other blocks' writes.
inline unsigned ld_acquire_gpu(const unsigned* p) {
    sched_yield();
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

inline void __threadfence() {
    emu::forget_weak_loads();
    std::atomic_thread_fence(std::memory_order_seq_cst);
}
inline unsigned atomicAdd(unsigned* p, unsigned v) {
    return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}
[[noreturn]] inline void __trap() {
    fprintf(stderr, "__trap() in block %u thread %u\n", blockIdx.x, threadIdx.x);
    abort();
}

// Correctly rounded binary32 operations: plain operators, built with -ffp-contract=off on SSE.
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return sqrtf(a); }  // IEEE sqrt is correctly rounded
inline float __ull2float_rn(unsigned long long v) { return (float)v; }  // round to nearest

#endif  // LINREG_CUDA_EMU_H
