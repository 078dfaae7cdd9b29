package linreg.gpu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether the loaded driver, libcuda.so.1, defines the functions that JCuda's native binding
 * calls for a feature. libJCudaDriver 11.8 binds them lazily, so calling one that a newer driver
 * no longer exports ends the JVM ("symbol lookup error") instead of returning an error: check
 * first, by name, in the driver file's ELF dynamic symbol table (.dynsym).
 */
final class DriverSymbols {
    /**
     * What JCuda's cuStreamBeginCapture, cuStreamEndCapture, cuGraphInstantiate, cuGraphLaunch,
     * cuGraphExecDestroy and cuGraphDestroy call: CUDA 11.8's cuda.h maps two of them to _v2.
     */
    static final List<String> GRAPH = List.of("cuStreamBeginCapture_v2", "cuStreamEndCapture",
            "cuGraphInstantiate_v2", "cuGraphLaunch", "cuGraphExecDestroy", "cuGraphDestroy");
    /** What JCuda's cuLaunchCooperativeKernel and cuOccupancyMaxActiveBlocksPerMultiprocessor call. */
    static final List<String> COOPERATIVE = List.of("cuLaunchCooperativeKernel",
            "cuOccupancyMaxActiveBlocksPerMultiprocessor");

    private static final int SHT_DYNSYM = 11;
    private static final int SYMBOL_BYTES = 24;

    /** A file's dynamic symbols: those it defines and those it imports (undefined there). */
    record Symbols(Set<String> defined, Set<String> imported) {}

    /** The loaded driver's symbols, read once (only a successful read is kept). */
    private static Path driverPath;
    private static Symbols driver;

    private DriverSymbols() {}

    /**
     * Why {@code functions} cannot be called here: "the driver (path) lacks NAME, ..." or why its
     * symbols could not be read; null when the driver defines them all.
     */
    static synchronized String missing(List<String> functions) {
        if (driver == null) {
            NativeLibraries.Load load = NativeLibraries.driver();
            if (!load.loaded()) {
                return "libcuda.so.1 is not loaded: " + load.detail();
            }
            if (!load.detail().startsWith("/")) {
                return "cannot find the loaded libcuda.so.1 in /proc/self/maps " + load.detail();
            }
            try {
                driver = read(Path.of(load.detail()));
                driverPath = Path.of(load.detail());
            } catch (IOException e) {
                return "cannot read the symbols of " + load.detail() + ": " + e.getMessage();
            }
        }
        List<String> absent = new ArrayList<>();
        for (String f : functions) {
            if (!driver.defined().contains(f)) {
                absent.add(f);
            }
        }
        return absent.isEmpty() ? null : "the driver (" + driverPath + ") lacks " + String.join(", ", absent);
    }

    /**
     * The dynamic symbols of a 64-bit little-endian ELF file (x86-64 and arm64 Linux), from its
     * SHT_DYNSYM section and the string table that section links to.
     *
     * @throws IOException when the file cannot be read or is not such an ELF file
     */
    static Symbols read(Path elf) throws IOException {
        try (FileChannel file = FileChannel.open(elf, StandardOpenOption.READ)) {
            if (file.size() < 4 || bytes(file, 0, 4).getInt(0) != 0x464c457f) {  // "\x7fELF", little-endian
                throw new IOException("not an ELF file");
            }
            ByteBuffer header = bytes(file, 0, 64);
            if (header.get(4) != 2 || header.get(5) != 1) {
                throw new IOException("not a 64-bit little-endian ELF file");
            }
            long sectionsAt = header.getLong(0x28);
            int entrySize = Short.toUnsignedInt(header.getShort(0x3a));
            int count = Short.toUnsignedInt(header.getShort(0x3c));
            if (sectionsAt == 0 || count == 0 || entrySize < 64) {
                throw new IOException("no section headers");
            }
            ByteBuffer sections = bytes(file, sectionsAt, (long) entrySize * count);
            for (int s = 0; s < count; s++) {
                int at = s * entrySize;
                if (sections.getInt(at + 4) != SHT_DYNSYM) {
                    continue;
                }
                int link = sections.getInt(at + 40);
                if (link < 0 || link >= count) {
                    throw new IOException(".dynsym links to section " + link + " of " + count);
                }
                int strAt = link * entrySize;
                ByteBuffer names = bytes(file, sections.getLong(strAt + 24), sections.getLong(strAt + 32));
                ByteBuffer symbols = bytes(file, sections.getLong(at + 24), sections.getLong(at + 32));
                return symbols(symbols, names);
            }
            throw new IOException("no .dynsym section");
        }
    }

    private static Symbols symbols(ByteBuffer table, ByteBuffer names) throws IOException {
        Set<String> defined = new HashSet<>();
        Set<String> imported = new HashSet<>();
        for (int at = 0; at + SYMBOL_BYTES <= table.limit(); at += SYMBOL_BYTES) {
            int name = table.getInt(at);
            if (name == 0) {
                continue;
            }
            if (name < 0 || name >= names.limit()) {
                throw new IOException("symbol name offset " + Integer.toUnsignedString(name) + " outside .dynstr");
            }
            int end = name;
            while (end < names.limit() && names.get(end) != 0) {
                end++;
            }
            byte[] text = new byte[end - name];
            names.get(name, text);
            boolean undefined = table.getShort(at + 6) == 0;  // st_shndx == SHN_UNDEF
            (undefined ? imported : defined).add(new String(text, StandardCharsets.ISO_8859_1));
        }
        return new Symbols(Set.copyOf(defined), Set.copyOf(imported));
    }

    private static ByteBuffer bytes(FileChannel file, long at, long count) throws IOException {
        if (at < 0 || count < 0 || count > Integer.MAX_VALUE || at + count > file.size()) {
            throw new IOException("truncated: " + count + " bytes at " + at + " of " + file.size());
        }
        ByteBuffer b = ByteBuffer.allocate((int) count).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (file.read(b, at + b.position()) < 0) {
                throw new IOException("truncated at " + (at + b.position()));
            }
        }
        return b.flip();
    }
}
