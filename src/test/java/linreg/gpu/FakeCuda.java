package linreg.gpu;

import static linreg.gpu.PtxResourcesTest.projectRoot;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import linreg.gpu.PtxResourcesTest.Run;
import linreg.spec.Seeds;
import org.junit.jupiter.api.Assumptions;

/**
 * Fake CUDA libraries standing in for a GPU host's (src/test/resources/fake-cuda/), and child JVMs
 * that load them through LD_LIBRARY_PATH, as a user's JVM would load the real ones. Built once per
 * test run into target/fake-cuda/ with gcc and g++ (tests skip, saying why, without them):
 *
 * <ul>
 *   <li>{@code driver/libcuda.so.1}: one "Fake GPU" of compute capability 9.0, host memory as
 *       device memory, finish_targets run on the CPU from kernels/data.cu, other launches no-ops;
 *   <li>{@code curand/libcurand.so.10}: draws {@link #draw}, a sequence Java can reproduce;
 *   <li>{@code cublas13/libcublas.so.13}: a CUDA 13 host's cuBLAS (13.0.0), computing on host memory;
 *   <li>{@code shim/libcublas.so.11}: the project's forwarding shim, built by native/cublas-shim/build.sh;
 *   <li>{@code symlink/libcublas.so.11}: a symlink to the fake libcublas.so.13 (which does not work).
 * </ul>
 */
public final class FakeCuda {
    /** A finished child JVM. */
    public record Result(int code, String out, String err) {}

    private static Path dir;

    private FakeCuda() {}

    /** The folder of the built fakes; skips the calling test where they cannot be built here. */
    public static synchronized Path dir() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the fake CUDA libraries and the cuBLAS shim are x86-64 Linux only, as JCuda's natives here");
        PtxResourcesTest.assumeTool("gcc", "--version");
        PtxResourcesTest.assumeTool("g++", "--version");
        if (dir == null) {
            Path root = projectRoot();
            Path out = root.resolve("target/fake-cuda");
            Path src = root.resolve("src/test/resources/fake-cuda");
            for (String d : new String[] {"driver", "curand", "cublas13", "shim", "symlink", "tmp", "cache"}) {
                Files.createDirectories(out.resolve(d));
            }
            build("g++", "-std=c++17", "-O1", "-fPIC", "-shared", "-Wall", "-Wno-unknown-pragmas", "-ffp-contract=off",
                    "-I" + root.resolve("kernels"), "-I" + root.resolve("src/test/resources/kernels"),
                    "-o", out.resolve("driver/libcuda.so.1").toString(), src.resolve("fake_cuda.cpp").toString(),
                    "-Wl,-soname,libcuda.so.1");
            build("gcc", "-O2", "-fPIC", "-shared", "-Wall", "-Wno-unused-parameter",
                    "-o", out.resolve("curand/libcurand.so.10").toString(), src.resolve("fake_curand.c").toString(),
                    "-Wl,-soname,libcurand.so.10", "-Wl,--version-script=" + src.resolve("fake_curand.map"));
            build("gcc", "-O2", "-fPIC", "-shared", "-Wall", "-Wno-unused-parameter",
                    "-o", out.resolve("cublas13/libcublas.so.13").toString(), src.resolve("fake_cublas13.c").toString(),
                    "-Wl,-soname,libcublas.so.13", "-Wl,--version-script=" + src.resolve("fake_cublas13.map"));
            build("bash", root.resolve("native/cublas-shim/build.sh").toString(), out.resolve("shim").toString());
            Path link = out.resolve("symlink/libcublas.so.11");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, out.resolve("cublas13/libcublas.so.13"));
            dir = out;
        }
        return dir;
    }

    private static void build(String... command) throws Exception {
        Run r = PtxResourcesTest.run(projectRoot(), 120, command);
        assertEquals(0, r.exit(), String.join(" ", command) + " failed:\n" + r.output());
    }

    /** LD_LIBRARY_PATH of these fake folders ("driver", "curand", ...), in order. */
    public static String path(String... folders) throws Exception {
        List<String> paths = new ArrayList<>();
        for (String f : folders) {
            paths.add(dir().resolve(f).toString());
        }
        return String.join(":", paths);
    }

    /**
     * Runs {@code mainClass} with the test class path in a JVM whose environment has {@code env}
     * and no other LD_LIBRARY_PATH, CUBLAS_SHIM_TARGET or cost-model cache than given.
     */
    public static Result java(Map<String, String> env, String mainClass, String... args) throws Exception {
        // C1 only: these JVMs live a second, so starting fast matters more than peak speed.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + dir().resolve("tmp"), "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir().resolve("tmp").toFile());  // where a crash log would go
        for (String key : new String[] {"LD_LIBRARY_PATH", "CUBLAS_SHIM_TARGET", "CUBLAS_SHIM_VERBOSE", "LINREG_DEBUG"}) {
            pb.environment().remove(key);
        }
        pb.environment().put("XDG_CACHE_HOME", dir().resolve("cache").toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir().resolve("tmp"), "out", ".txt");
        Path err = Files.createTempFile(dir().resolve("tmp"), "err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code linreg ARGS} in a child JVM with {@code env}. */
    public static Result linreg(Map<String, String> env, String... args) throws Exception {
        return java(env, "linreg.cli.Main", args);
    }

    /** Draw k of the fake cuRAND after seeding with {@code seed} (mean 0, standard deviation 1). */
    static float draw(long seed, long k) {
        long z = Seeds.mix64(seed + (k + 1) * 0x9E3779B97F4A7C15L);
        return (float) ((z >>> 42) - (1L << 21)) / 1048576.0f;
    }
}
