package org.sinter.data.io;

import org.sinter.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes the IDX format of MNIST and Fashion-MNIST: a big-endian magic number
 * ({@code 0x00 0x00 type ndims}), {@code ndims} big-endian int32 sizes, then the elements in
 * row-major order. Gzip-compressed files are recognised by their content, not their name.
 *
 * <pre>{@code
 * IdxData images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // ubyte [60000, 28, 28]
 * Idx.write(Path.of("copy.idx.gz"), images, true);
 * }</pre>
 *
 * Corrupt input fails with a {@link CorruptDataException} naming the file and the field: a bad
 * magic number, an unknown type, a truncated header or data, bytes after the data, a broken gzip stream.
 */
public final class Idx {
    private Idx() {}

    /** Reads an IDX file, plain or gzip-compressed. */
    public static IdxData read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads an IDX stream, plain or gzip-compressed; {@code name} is used in error messages. */
    public static IdxData read(InputStream raw, String name) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read(), b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
            return parse(in, name);
        } catch (ZipException | EOFException e) {
            if (!gzip) throw e;
            throw new CorruptDataException(name, "gzip stream", "corrupt or truncated compressed data (" + e.getMessage() + ")", e);
        }
    }

    private static IdxData parse(InputStream in, String name) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new CorruptDataException(name, "magic", "file ends after " + magic.length + " bytes, before the 4-byte magic number");
        }
        int m = ByteBuffer.wrap(magic).getInt();
        if (magic[0] != 0 || magic[1] != 0) {
            throw new CorruptDataException(name, "magic", String.format(
                    "bad magic number 0x%08X: an IDX file starts with two zero bytes, the type code and the number of dimensions", m));
        }
        IdxType type = IdxType.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new CorruptDataException(name, "magic", String.format(
                    "unknown element type code 0x%02X in magic number 0x%08X (known: %s)", magic[2] & 0xFF, m, IdxType.known()));
        }
        int ndims = magic[3] & 0xFF;
        byte[] header = in.readNBytes(4 * ndims);
        if (header.length < 4 * ndims) {
            throw new CorruptDataException(name, "dimension " + header.length / 4, "truncated header: the magic number announces "
                    + ndims + " dimension sizes (" + 4 * ndims + " bytes) but the file ends after " + header.length + " of them");
        }
        ByteBuffer hb = ByteBuffer.wrap(header);
        int[] dims = new int[ndims];
        for (int d = 0; d < ndims; d++) {
            dims[d] = hb.getInt();
            if (dims[d] < 0) throw new CorruptDataException(name, "dimension " + d, "negative size " + dims[d]);
        }
        // A zero dimension makes the data empty however large the others ([100000, 100000, 0]);
        // otherwise the product is checked after each step, before it could overflow a long.
        boolean empty = Arrays.stream(dims).anyMatch(n -> n == 0);
        long count = empty ? 0 : 1;
        for (int d = 0; d < ndims && !empty; d++) {
            count *= dims[d];
            if (count * type.size() > Integer.MAX_VALUE - 16) {
                throw new CorruptDataException(name, "dimension " + d, "dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                        + " describe more than 2 GiB of data, which Sinter does not read into one array");
            }
        }
        int expected = (int) (count * type.size());
        byte[] data = in.readNBytes(expected);
        if (data.length < expected) {
            throw new CorruptDataException(name, "data", "truncated: dimensions " + Arrays.toString(dims) + " of "
                    + type.name().toLowerCase() + " need " + expected + " bytes but the file has only " + data.length);
        }
        if (in.read() != -1) {
            long extra = 1 + in.transferTo(OutputStream.nullOutputStream());
            throw new CorruptDataException(name, "data", extra + " unexpected bytes after the " + expected
                    + " bytes that dimensions " + Arrays.toString(dims) + " of " + type.name().toLowerCase() + " need");
        }
        return new IdxData(type, dims, data);
    }

    /** The IDX encoding of {@code data}, optionally gzip-compressed. */
    public static byte[] encode(IdxData data, boolean gzip) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.bytes().length + 64);
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes, 1 << 16) : bytes) {
            int[] dims = data.dims();
            ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
            header.put((byte) 0).put((byte) 0).put((byte) data.type().code()).put((byte) dims.length);
            for (int d : dims) header.putInt(d);
            out.write(header.array());
            out.write(data.bytes());
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e); // cannot happen with a byte array
        }
        return bytes.toByteArray();
    }

    /** Writes {@code data} to {@code file} atomically (temp file, fsync, rename). */
    public static void write(Path file, IdxData data, boolean gzip) throws IOException {
        AtomicFiles.write(file, encode(data, gzip));
    }
}
