package linreg.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ELF dynamic-symbol reader, on real files of this machine and on JCuda's own driver binding. */
class DriverSymbolsTest {
    @TempDir
    Path tmp;

    /** JCuda's driver binding, as the natives jar on the class path holds it. */
    private Path jcudaDriverBinding() throws IOException {
        String name = "/lib/libJCudaDriver-11.8.0-linux-x86_64.so";
        try (InputStream in = DriverSymbolsTest.class.getResourceAsStream(name)) {
            Assumptions.assumeTrue(in != null, "no " + name + " on the class path (not linux-x86_64 natives)");
            Path file = tmp.resolve("libJCudaDriver.so");
            Files.copy(in, file);
            return file;
        }
    }

    @Test
    void readsWhatTheCLibraryDefines() throws IOException {
        String path = NativeLibraries.mappedPath("libc.so.6");
        Assumptions.assumeTrue(path.startsWith("/"), "libc.so.6 is not mapped into this JVM " + path);
        DriverSymbols.Symbols libc = DriverSymbols.read(Path.of(path));
        for (String f : List.of("malloc", "free", "fopen", "dlopen")) {
            assertTrue(libc.defined().contains(f), "libc defines " + f);
        }
        assertFalse(libc.defined().contains("cuGraphLaunch"));
        assertFalse(libc.imported().contains("malloc"));
    }

    /** The names checked before graph and cooperative calls are exactly what JCuda's binding imports. */
    @Test
    void theCheckedNamesAreWhatJcudaImportsFromTheDriver() throws IOException {
        DriverSymbols.Symbols binding = DriverSymbols.read(jcudaDriverBinding());
        List<String> checked = new ArrayList<>(DriverSymbols.GRAPH);
        checked.addAll(DriverSymbols.COOPERATIVE);
        for (String f : checked) {
            assertTrue(binding.imported().contains(f), "libJCudaDriver imports " + f);
        }
        assertFalse(binding.imported().contains("cuGraphInstantiate"), "11.8's cuda.h maps it to _v2");
        assertFalse(binding.imported().contains("cuStreamBeginCapture"), "11.8's cuda.h maps it to _v2");
        assertTrue(binding.defined().contains("Java_jcuda_driver_JCudaDriver_cuGraphLaunchNative"));
    }

    /** The gpu-kit's list (what probe.sh checks on the GPU machine) agrees, where the kit is built. */
    @Test
    void theGpuKitListsTheCheckedNames() throws IOException {
        Path list = PtxResourcesTest.projectRoot().resolve("build/gpu-kit/imports/libcuda.so.1.txt");
        Assumptions.assumeTrue(Files.isRegularFile(list), "no gpu-kit at build/gpu-kit (make gpu-kit)");
        List<String> imports = Files.readAllLines(list);
        for (String f : DriverSymbols.GRAPH) {
            assertTrue(imports.contains(f), list + " lists " + f);
        }
        for (String f : DriverSymbols.COOPERATIVE) {
            assertTrue(imports.contains(f), list + " lists " + f);
        }
    }

    @Test
    void refusesWhatIsNotA64BitLittleEndianElfFile() throws IOException {
        Path text = Files.writeString(tmp.resolve("text.so"), "not a library, just text that is long enough to have a header");
        assertEquals("not an ELF file", assertThrows(IOException.class, () -> DriverSymbols.read(text)).getMessage());

        byte[] elf32 = new byte[64];
        elf32[0] = 0x7f;
        elf32[1] = 'E';
        elf32[2] = 'L';
        elf32[3] = 'F';
        elf32[4] = 1;  // ELFCLASS32
        elf32[5] = 1;
        Path small = Files.write(tmp.resolve("elf32.so"), elf32);
        assertTrue(assertThrows(IOException.class, () -> DriverSymbols.read(small)).getMessage().contains("64-bit"));

        Path binding = jcudaDriverBinding();
        byte[] whole = Files.readAllBytes(binding);
        Path cut = Files.write(tmp.resolve("cut.so"), Arrays.copyOf(whole, whole.length / 2));
        assertTrue(assertThrows(IOException.class, () -> DriverSymbols.read(cut)).getMessage().contains("truncated"));

        Path tiny = Files.write(tmp.resolve("tiny.so"), new byte[] {0x7f, 'E', 'L', 'F'});
        assertThrows(IOException.class, () -> DriverSymbols.read(tiny));
    }

    /** Without a driver the answer is a reason (so the caller falls back), never a crash. */
    @Test
    void missingGivesAReasonOrNothing() {
        String why = DriverSymbols.missing(DriverSymbols.GRAPH);
        if (NativeLibraries.driver().loaded()) {
            assertTrue(why == null || why.startsWith("the driver (") || why.startsWith("cannot"), why);
        } else {
            assertNotNull(why);
            assertTrue(why.startsWith("libcuda.so.1 is not loaded"), why);
        }
    }
}
