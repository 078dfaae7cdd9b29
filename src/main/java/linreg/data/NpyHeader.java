package linreg.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The header of a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0): the magic
 * {@code \x93NUMPY}, the version, the header's length, then a Python dict literal such as
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (500, 5), }}. Only float32 and
 * float64 arrays are accepted.
 *
 * @param elementSize 4 (float32) or 8 (float64)
 * @param order the byte order of the elements
 * @param fortranOrder whether the elements are stored column by column
 * @param shape the array's dimensions
 * @param dataOffset where the elements start in the file
 */
record NpyHeader(String descr, int elementSize, ByteOrder order, boolean fortranOrder, long[] shape,
        long dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Longer headers are not NumPy's: it pads to 64 bytes and writes a few dozen. */
    private static final int MAX_HEADER = 1 << 20;

    /** The element type in words: "float32" or "float64". */
    String typeName() {
        return elementSize == 4 ? "float32" : "float64";
    }

    /** The shape as NumPy prints it: (500, 5) or (500,). */
    String shapeText() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }

    /** The header dict as NumPy writes it. */
    static String dict(String descr, boolean fortranOrder, long... shape) {
        String dims = shape.length == 1 ? "(" + shape[0] + ",)"
                : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False") + ", 'shape': " + dims + ", }";
    }

    /**
     * Magic, version and {@code dict} padded with spaces and ended by a newline, so that the
     * data starts at a multiple of 64, as NumPy writes them.
     */
    static byte[] bytes(int major, String dict) {
        int prefix = major == 1 ? 10 : 12;
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int total = prefix + text.length + 1;
        int padded = (total + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) major).put((byte) 0);
        int length = padded - prefix;
        if (major == 1) {
            b.putShort((short) length);
        } else {
            b.putInt(length);
        }
        b.put(text);
        while (b.position() < padded - 1) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.array();
    }

    /** Whether the first bytes of a file are the .npy magic. */
    static boolean hasMagic(byte[] start) {
        return start.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(start, MAGIC.length), MAGIC);
    }

    /**
     * Reads the header at the channel's start.
     *
     * @param name the file's name for messages
     * @throws DataException when the file is not an .npy file of float32 or float64
     */
    static NpyHeader read(FileChannel channel, String name) throws IOException, DataException {
        ByteBuffer preamble = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, preamble, 0);
        byte[] start = Arrays.copyOf(preamble.array(), preamble.position());
        if (start.length >= 4 && start[0] == 'P' && start[1] == 'K' && start[2] == 3 && start[3] == 4) {
            throw new DataException(name + ": a .npz archive (zip), not an .npy file: save one array with numpy.save");
        }
        if (!hasMagic(start)) {
            throw new DataException(name + ": not an .npy file (it does not start with \\x93NUMPY)");
        }
        if (start.length < 10) {
            throw new DataException(name + ": truncated .npy file: it ends inside the header");
        }
        int major = start[6] & 0xff;
        int minor = start[7] & 0xff;
        long headerLength;
        int lengthBytes;
        if (major == 1) {
            headerLength = preamble.getShort(8) & 0xffff;
            lengthBytes = 2;
        } else if (major == 2 || major == 3) {
            if (start.length < 12) {
                throw new DataException(name + ": truncated .npy file: it ends inside the header");
            }
            headerLength = preamble.getInt(8) & 0xffffffffL;
            lengthBytes = 4;
        } else {
            throw new DataException(name + ": .npy format version " + major + "." + minor
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        if (headerLength > MAX_HEADER) {
            throw new DataException(name + ": bad .npy header: " + headerLength + " bytes long, more than any NumPy writes");
        }
        long textStart = 8 + lengthBytes;
        ByteBuffer text = ByteBuffer.allocate((int) headerLength);
        readFully(channel, text, textStart);
        if (text.hasRemaining()) {
            throw new DataException(name + ": truncated .npy file: it ends inside the header");
        }
        // Versions 1 and 2 write latin-1, version 3 UTF-8; the dict's keys and values are ASCII.
        String dict = new String(text.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return parse(dict, name, textStart + headerLength);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                return;
            }
            at += read;
        }
    }

    private static NpyHeader parse(String dict, String name, long dataOffset) throws DataException {
        Map<String, Object> entries;
        try {
            entries = new DictParser(dict).dict();
        } catch (IllegalArgumentException e) {
            throw new DataException(name + ": bad .npy header: " + e.getMessage());
        }
        for (String key : List.of("descr", "fortran_order", "shape")) {
            if (!entries.containsKey(key)) {
                throw new DataException(name + ": bad .npy header: no '" + key + "'");
            }
        }
        if (entries.get("descr") instanceof ListText list) {
            throw new DataException(name + ": dtype " + list.text()
                    + " (a structured array) is not supported: expected float32 or float64 numbers");
        }
        if (!(entries.get("descr") instanceof String descr)) {
            throw new DataException(name + ": bad .npy header: 'descr' is not a string");
        }
        if (!(entries.get("fortran_order") instanceof Boolean fortran)) {
            throw new DataException(name + ": bad .npy header: 'fortran_order' is not True or False");
        }
        if (!(entries.get("shape") instanceof long[] shape)) {
            throw new DataException(name + ": bad .npy header: 'shape' is not a tuple of integers");
        }
        int size;
        ByteOrder order;
        if (descr.equals("<f4") || descr.equals(">f4") || descr.equals("=f4")) {
            size = 4;
        } else if (descr.equals("<f8") || descr.equals(">f8") || descr.equals("=f8")) {
            size = 8;
        } else {
            throw new DataException(name + ": dtype '" + descr + "' is not supported: expected float32 or float64"
                    + " ('<f4', '<f8' or big-endian '>f4', '>f8'); convert with a.astype(numpy.float32)");
        }
        order = switch (descr.charAt(0)) {
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
        return new NpyHeader(descr, size, order, fortran, shape, dataOffset);
    }

    /** A Python list, kept as its text (a structured dtype's fields). */
    private record ListText(String text) {}

    /**
     * The subset of Python literals an .npy header holds: a dict of string keys whose values
     * are strings, True/False, tuples of integers, or lists (structured dtypes, kept as text).
     */
    private static final class DictParser {
        private final String s;
        private int i;

        DictParser(String s) {
            this.s = s;
        }

        Map<String, Object> dict() {
            Map<String, Object> map = new HashMap<>();
            expect('{');
            while (peek() != '}') {
                String key = string();
                expect(':');
                map.put(key, value());
                if (peek() == ',') {
                    i++;
                } else if (peek() != '}') {
                    throw fail("expected ',' or '}'");
                }
            }
            i++;
            return map;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                int start = i;
                skipBrackets();
                return new ListText(s.substring(start, i));
            }
            if (s.startsWith("True", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            throw fail("unexpected value");
        }

        private long[] tuple() {
            expect('(');
            List<Long> dims = new ArrayList<>();
            while (peek() != ')') {
                int start = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (start == i) {
                    throw fail("expected a non-negative integer in the shape");
                }
                try {
                    dims.add(Long.parseLong(s.substring(start, i)));
                } catch (NumberFormatException e) {
                    throw fail("a dimension too large");
                }
                if (i < s.length() && s.charAt(i) == 'L') {
                    i++; // Python 2's long suffix
                }
                if (peek() == ',') {
                    i++;
                } else if (peek() != ')') {
                    throw fail("expected ',' or ')'");
                }
            }
            i++;
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private void skipBrackets() {
            int depth = 0;
            do {
                if (i >= s.length()) {
                    throw fail("unclosed '['");
                }
                char c = s.charAt(i++);
                depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            } while (depth > 0);
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw fail("expected a quoted key");
            }
            int end = s.indexOf(quote, ++i);
            if (end < 0) {
                throw fail("unclosed string");
            }
            String value = s.substring(i, end);
            i = end + 1;
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("expected '" + c + "'");
            }
            i++;
        }

        /** The next character after white space, or 0 at the end. */
        private char peek() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            return i < s.length() ? s.charAt(i) : 0;
        }

        private IllegalArgumentException fail(String what) {
            String near = s.substring(Math.min(i, s.length()), Math.min(s.length(), i + 20)).strip()
                    .replaceAll("\\p{Cntrl}", "?");
            return new IllegalArgumentException(what + " at character " + i + (near.isEmpty() ? "" : " (near \"" + near + "\")"));
        }
    }
}
