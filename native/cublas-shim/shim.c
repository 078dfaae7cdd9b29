/*
 * libcublas.so.11 for JCuda 11.8's cuBLAS binding on hosts with a newer cuBLAS (README.md here).
 *
 * SONAME and version node "libcublas.so.11", exporting every function libJCublas2 and libJCublas
 * import (symbols.txt, expanded by build.sh into shim_syms.h as SHIM_SYM(index, name)); each one
 * is a tail jump into the same-named function of the host's cuBLAS, so any signature is forwarded
 * unchanged. x86-64 Linux only.
 *
 * Target, chosen once in a constructor, before any call can happen:
 *   $CUBLAS_SHIM_TARGET (a file path) when set, and only it: an explicit choice is never replaced;
 *   else dlopen("libcublas.so.13"), then dlopen("libcublas.so.12") (LD_LIBRARY_PATH, ld cache).
 * A function the target lacks, or every function when none loads, is bound to a stub that names
 * it on stderr once and returns 15 (CUBLAS_STATUS_NOT_SUPPORTED), so the JVM never dies in the
 * lazy binder. CUBLAS_SHIM_VERBOSE=1 prints the target and how many functions it forwards; 2 also
 * every unresolved name.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(__x86_64__) || !defined(__linux__)
#error "the cuBLAS shim supports x86-64 Linux only"
#endif

/* The oldest x86-64 versions of the dl* functions, so that a shim built on a new glibc (where
 * they moved into libc.so.6 as GLIBC_2.34) still loads on an older one; build.sh links libdl.so.2. */
__asm__(".symver dlopen,dlopen@GLIBC_2.2.5");
__asm__(".symver dlsym,dlsym@GLIBC_2.2.5");
__asm__(".symver dlerror,dlerror@GLIBC_2.2.5");
__asm__(".symver dladdr,dladdr@GLIBC_2.2.5");
__asm__(".symver dlinfo,dlinfo@GLIBC_2.3.3");

#define STATUS_NOT_SUPPORTED 15

static const char *const shim_names[] = {
#define SHIM_SYM(i, n) #n,
#include "shim_syms.h"
#undef SHIM_SYM
};
#define SHIM_N ((int)(sizeof shim_names / sizeof shim_names[0]))

/* Read by the trampolines; hidden, so that it is addressed PC-relative. */
__attribute__((visibility("hidden"))) void *shim_ptrs[SHIM_N];

/* Each export is "endbr64; jmp *shim_ptrs+8*i(%rip)": a tail jump leaves the argument registers,
 * the stack and the return address alone (floats in %xmm, arguments on the stack, float returns). */
#define SHIM_SYM(i, n)                                \
  __asm__(".text\n"                                   \
          ".globl " #n "\n"                           \
          ".type " #n ", @function\n"                 \
          ".p2align 4\n" #n ":\n"                     \
          "\tendbr64\n"                               \
          "\tjmp *shim_ptrs+8*" #i "(%rip)\n"         \
          ".size " #n ", .-" #n "\n");
#include "shim_syms.h"
#undef SHIM_SYM

static const char *shim_target = "(none loaded)";
static volatile char shim_warned[SHIM_N];

static int shim_missing(int i) {
  if (!shim_warned[i]) {
    shim_warned[i] = 1;
    fprintf(stderr, "cublas-shim: %s is not in the target cuBLAS %s; returning CUBLAS_STATUS_NOT_SUPPORTED (15)\n",
            shim_names[i], shim_target);
  }
  return STATUS_NOT_SUPPORTED;
}

/* One stub per function, so that the message names the one called. Extra arguments are harmless
 * in the SysV ABI; a legacy caller expecting a float gets an unspecified value, not a crash. */
#define SHIM_SYM(i, n) \
  static int shim_stub_##i(void) { return shim_missing(i); }
#include "shim_syms.h"
#undef SHIM_SYM

static int (*const shim_stubs[])(void) = {
#define SHIM_SYM(i, n) shim_stub_##i,
#include "shim_syms.h"
#undef SHIM_SYM
};

/* Whether p lies in this shim (a target that is the shim itself would loop forever). */
static int shim_is_self(void *p) {
  Dl_info self, other;
  return p && dladdr((void *)&shim_missing, &self) && dladdr(p, &other) && self.dli_fbase == other.dli_fbase;
}

static char shim_error[1024];

static void *shim_open(const char *name, int verbose) {
  void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char *e = dlerror();
    if (!shim_error[0]) snprintf(shim_error, sizeof shim_error, "%s", e ? e : "?");
    if (verbose >= 2) fprintf(stderr, "cublas-shim: dlopen(%s) failed: %s\n", name, e ? e : "?");
    return NULL;
  }
  if (shim_is_self(dlsym(h, shim_names[0]))) {
    fprintf(stderr, "cublas-shim: %s is the shim itself; ignored\n", name);
    return NULL;
  }
  return h;
}

__attribute__((constructor)) static void shim_init(void) {
  const char *v = getenv("CUBLAS_SHIM_VERBOSE");
  int verbose = v && *v ? atoi(v) : 0;
  const char *target = getenv("CUBLAS_SHIM_TARGET");
  static const char *const fallbacks[] = {"libcublas.so.13", "libcublas.so.12"};
  static char where[4096];
  void *h = NULL;

  if (target && *target) {
    h = shim_open(target, verbose);
  } else {
    for (size_t k = 0; !h && k < sizeof fallbacks / sizeof fallbacks[0]; k++) h = shim_open(fallbacks[k], verbose);
  }
  if (h) {
    struct link_map *lm = NULL;
    snprintf(where, sizeof where, "(%s)",
             dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm && lm->l_name && lm->l_name[0] ? lm->l_name : target);
    shim_target = where;
  } else {
    fprintf(stderr, "cublas-shim: no cuBLAS to forward to (%s; set CUBLAS_SHIM_TARGET to the path of a libcublas.so.13 "
            "or .12, or put its folder on LD_LIBRARY_PATH); every call returns 15 [%s]\n",
            target && *target ? "CUBLAS_SHIM_TARGET does not load" : "no libcublas.so.13 or .12 found",
            shim_error[0] ? shim_error : "nothing tried");
  }

  int missing = 0;
  for (int i = 0; i < SHIM_N; i++) {
    void *p = h ? dlsym(h, shim_names[i]) : NULL;
    if (!p || shim_is_self(p)) {
      p = (void *)shim_stubs[i];
      missing++;
      if (verbose >= 2 && h) fprintf(stderr, "cublas-shim: unresolved %s\n", shim_names[i]);
    }
    shim_ptrs[i] = p;
  }
  if (verbose)
    fprintf(stderr, "cublas-shim: target %s: %d of %d functions forwarded, %d stubbed\n", shim_target,
            SHIM_N - missing, SHIM_N, missing);
}
