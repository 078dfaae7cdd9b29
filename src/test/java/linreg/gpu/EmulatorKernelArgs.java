package linreg.gpu;

import java.util.stream.Collectors;

/**
 * kernel_args.h for the emulator, written from {@link KernelSignature} before each build: per
 * kernel a struct of its parameters in declaration order and {@code run_kernel}, which calls the
 * kernel with them. kernels_emu.cpp launches every kernel as
 * {@code run_kernel(sgd_update_args{.params = ..., ...})}: C++20 designated initializers must
 * name the declared parameters in the declared order, and a parameter left out does not compile
 * (a {@code given<T>} has no default), so the emulator passes its arguments by the same names and
 * order as the Java launches.
 */
final class EmulatorKernelArgs {
    private EmulatorKernelArgs() {}

    static String header() {
        StringBuilder out = new StringBuilder();
        out.append("// Written by KernelHostCodeTest from linreg.gpu.KernelSignature; do not edit.\n");
        out.append("#pragma once\n\n");
        out.append("// A parameter that must be given: no default, so an omitted designator does not compile.\n");
        out.append("template <class T> struct given {\n    T v;\n    given(T x) : v(x) {}\n};\n\n");
        for (KernelSignature k : KernelSignature.values()) {
            out.append("struct ").append(k.name()).append("_args {\n");
            for (KernelSignature.Param p : k.params()) {
                out.append("    given<").append(p.cType()).append("> ").append(p.name()).append(";\n");
            }
            out.append("};\n");
            out.append("static inline void run_kernel(const ").append(k.name()).append("_args& a) {\n    ")
                    .append(k.name())
                    .append(k.params().stream().map(p -> "a." + p.name() + ".v").collect(Collectors.joining(", ", "(", ");\n")))
                    .append("}\n\n");
        }
        return out.toString();
    }
}
