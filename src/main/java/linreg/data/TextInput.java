package linreg.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackInputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Opens a data file (or stdin) as text after a look at its first bytes: the encoding comes from
 * a byte-order mark (UTF-8, UTF-16 or UTF-32; UTF-8 without one, whose mark a spreadsheet may
 * write too), and a compressed, binary or BOM-less UTF-16 file is refused with what it looks
 * like, instead of being parsed into nonsense.
 */
public final class TextInput {
    /** Bytes looked at; enough for a header line and a few rows. */
    static final int HEAD = 4096;

    private record Magic(int[] bytes, String looksLike) {}

    private static final Magic[] MAGICS = {
        magic("looks like a gzip file; decompress it first (gunzip)", 0x1f, 0x8b),
        magic("looks like a bzip2 file; decompress it first (bunzip2)", 'B', 'Z', 'h'),
        magic("looks like an xz file; decompress it first (unxz)", 0xfd, '7', 'z', 'X', 'Z', 0),
        magic("looks like a zstd file; decompress it first (unzstd)", 0x28, 0xb5, 0x2f, 0xfd),
        magic("looks like a zip archive (an .xlsx workbook is one); extract the CSV, or save the sheet as CSV",
                'P', 'K', 3, 4),
        magic("looks like an Excel .xls workbook; save the sheet as CSV", 0xd0, 0xcf, 0x11, 0xe0),
        magic("looks like a Parquet file; export it as CSV", 'P', 'A', 'R', '1'),
        magic("is a NumPy .npy array; give it as a file whose name ends in .npy", 0x93, 'N', 'U', 'M', 'P', 'Y'),
    };

    private TextInput() {}

    private static Magic magic(String looksLike, int... bytes) {
        return new Magic(bytes, looksLike);
    }

    /**
     * The text of {@code in}, decoded as its byte-order mark says (the mark itself left out).
     *
     * @param name the file's name, for messages
     * @throws DataException when it is not text
     */
    static Reader open(InputStream in, String name) throws IOException, DataException {
        // pushed back, not buffered: past the head, the decoder reads the stream itself, as FastCSV would
        PushbackInputStream stream = new PushbackInputStream(in, HEAD);
        byte[] head = stream.readNBytes(HEAD);
        String problem = notText(head);
        if (problem != null) {
            throw new DataException(name + ": " + problem);
        }
        Charset charset = StandardCharsets.UTF_8;
        int mark = 0;
        if (starts(head, 0xef, 0xbb, 0xbf)) {
            mark = 3;
        } else if (starts(head, 0xff, 0xfe, 0, 0)) {
            charset = Charset.forName("UTF-32LE");
            mark = 4;
        } else if (starts(head, 0, 0, 0xfe, 0xff)) {
            charset = Charset.forName("UTF-32BE");
            mark = 4;
        } else if (starts(head, 0xff, 0xfe)) {
            charset = StandardCharsets.UTF_16LE;
            mark = 2;
        } else if (starts(head, 0xfe, 0xff)) {
            charset = StandardCharsets.UTF_16BE;
            mark = 2;
        }
        stream.unread(head, mark, head.length - mark);
        return new InputStreamReader(stream, charset);
    }

    /**
     * What the first bytes of a file say it is when it is not text that {@link #open} reads, or
     * null: "looks like a gzip file; decompress it first (gunzip)".
     */
    public static String notText(byte[] head) {
        for (Magic m : MAGICS) {
            if (starts(head, m.bytes())) {
                return m.looksLike();
            }
        }
        if (starts(head, 0xff, 0xfe) || starts(head, 0xfe, 0xff) || starts(head, 0, 0, 0xfe, 0xff)) {
            return null; // UTF-16 or UTF-32 with a mark: zero bytes are expected
        }
        int[] zeros = new int[2];
        int firstZero = -1;
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                zeros[i % 2]++;
                firstZero = firstZero < 0 ? i : firstZero;
            }
        }
        if (firstZero < 0) {
            return null;
        }
        // ASCII in UTF-16 has a zero in every other byte: the high bytes, first (big-endian) or second
        int half = head.length / 2;
        if (Math.max(zeros[0], zeros[1]) > 0.4 * half && Math.min(zeros[0], zeros[1]) < 0.05 * half) {
            return "looks like UTF-16 text without a byte-order mark; save it as UTF-8";
        }
        return "looks like a binary file, not text (byte " + firstZero + " is 0)";
    }

    private static boolean starts(byte[] head, int... prefix) {
        if (head.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((head[i] & 0xff) != (prefix[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }
}
