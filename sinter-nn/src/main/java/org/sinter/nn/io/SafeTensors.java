package org.sinter.nn.io;

import org.sinter.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.sinter.Tensor;

/**
 * Reads and writes the safetensors format (Hugging Face's safe, zero-pickle tensor files), so
 * weights move between Sinter, PyTorch and the Hugging Face ecosystem.
 *
 * <p>Layout: an 8-byte little-endian unsigned header length N; N bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end)}} (offsets relative to
 * the data buffer after the header) plus an optional {@code "__metadata__"} string map, padded with
 * spaces to a multiple of 8; then the data buffer: each tensor's elements little-endian and
 * row-major, the ranges covering the buffer exactly (no overlap, no hole).
 *
 * <p>Writing is atomic (see {@link AtomicFiles}); views and non-contiguous tensors are written as
 * their contiguous row-major data; tensors are laid out largest element size first so every
 * tensor is aligned to its element size. Reading checks every rule of the format before it
 * trusts a number, and fails with a {@link SafeTensorsException} naming the file and the field.
 *
 * <pre>{@code
 * SafeTensors.save(model.stateDict(), Path.of("model.safetensors"), Map.of("format", "pt"));
 * LinkedHashMap<String, Tensor> weights = SafeTensors.load(Path.of("model.safetensors"));
 * }</pre>
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** The tensors of a file, in header order, and its {@code __metadata__} (empty when absent). */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes {@code tensors} to {@code path} atomically, without metadata. */
    public static void save(Map<String, Tensor> tensors, Path path) throws IOException {
        save(tensors, path, Map.of());
    }

    /** Writes {@code tensors} and the string {@code metadata} (may be null or empty) to {@code path} atomically. */
    public static void save(Map<String, Tensor> tensors, Path path, Map<String, String> metadata) throws IOException {
        List<SafeTensorsHeader.Entry> entries = layout(tensors, metadata, path);
        byte[] header = SafeTensorsHeader.build(entries, metadata);
        List<SafeTensorsHeader.Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(SafeTensorsHeader.Entry::begin));
        AtomicFiles.write(path, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer scratch = TensorBytes.scratch();
            for (SafeTensorsHeader.Entry e : byOffset) {
                TensorBytes.forEachChunk(tensors.get(e.name()), scratch, chunk -> writeFully(ch, chunk));
            }
        });
    }

    /** Reads every tensor of a safetensors file, in header order. */
    public static LinkedHashMap<String, Tensor> load(Path path) throws IOException {
        return read(path).tensors();
    }

    /** Reads the tensors and the metadata of a safetensors file. */
    public static Contents read(Path path) throws IOException {
        try (FileChannel ch = open(path)) {
            long[] bounds = new long[2];
            SafeTensorsHeader.Parsed parsed = readHeader(ch, path, bounds);
            long dataStart = bounds[0];
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            ByteBuffer scratch = TensorBytes.scratch();
            for (SafeTensorsHeader.Entry e : parsed.entries()) {
                out.put(e.name(), TensorBytes.read(ch, dataStart + e.begin(), e.dtype(), e.shape(), scratch, path, e.name()));
            }
            return new Contents(out, Collections.unmodifiableMap(parsed.metadata()));
        }
    }

    /** Reads only the header's {@code __metadata__} (cheap: no tensor data is read, but the header is validated). */
    public static Map<String, String> readMetadata(Path path) throws IOException {
        try (FileChannel ch = open(path)) {
            return Collections.unmodifiableMap(readHeader(ch, path, new long[2]).metadata());
        }
    }

    private static FileChannel open(Path path) throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "safetensors file not found");
        }
    }

    /** Reads and validates the header; {@code bounds[0]} receives the data buffer's file position. */
    private static SafeTensorsHeader.Parsed readHeader(FileChannel ch, Path path, long[] bounds) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafeTensorsException(path, "file is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, path);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw new SafeTensorsException(path, "header length " + Long.toUnsignedString(n) + " is larger than the "
                    + (size - 8) + " bytes that follow it (truncated or not a safetensors file)");
        }
        if (n > SafeTensorsHeader.MAX_HEADER_BYTES) {
            throw new SafeTensorsException(path, "header length " + n + " exceeds the limit of "
                    + SafeTensorsHeader.MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate((int) n);
        readFully(ch, header, 8, path);
        bounds[0] = 8 + n;
        bounds[1] = size;
        return SafeTensorsHeader.parse(header.array(), size - 8 - n, path);
    }

    /**
     * Checks the arguments and assigns data offsets: larger elements first, then header order. The
     * header keeps the order of a map that has one (a {@link SequencedMap}: a state dict's
     * LinkedHashMap, a TreeMap); other maps (HashMap, {@code Map.of}) iterate in an order that can
     * change between runs, so their names are sorted to keep the file's bytes reproducible.
     */
    private static List<SafeTensorsHeader.Entry> layout(Map<String, Tensor> tensors, Map<String, String> metadata, Path path)
            throws SafeTensorsException {
        if (tensors == null) throw new IllegalArgumentException("SafeTensors.save: tensors map is null");
        if (metadata != null) {
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new SafeTensorsException(path, "metadata entry " + m.getKey() + "=" + m.getValue() + " has a null key or value");
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            if (t.getKey() == null) throw new SafeTensorsException(path, "a tensor has a null name");
            if (t.getKey().equals(SafeTensorsHeader.METADATA_KEY)) {
                throw new SafeTensorsException(path, "\"" + SafeTensorsHeader.METADATA_KEY + "\" is reserved and cannot name a tensor");
            }
            if (t.getValue() == null) throw new SafeTensorsException(path, "tensor \"" + t.getKey() + "\" is null");
            names.add(t.getKey());
        }
        if (!(tensors instanceof SequencedMap)) Collections.sort(names);
        List<String> order = new ArrayList<>(names);
        order.sort(Comparator.comparingInt((String k) -> -tensors.get(k).dtype().itemSize()));
        Map<String, long[]> offsets = new LinkedHashMap<>();
        long at = 0;
        for (String k : order) {
            Tensor t = tensors.get(k);
            long bytes = t.numel() * t.dtype().itemSize();
            offsets.put(k, new long[] {at, at + bytes});
            at += bytes;
        }
        List<SafeTensorsHeader.Entry> entries = new ArrayList<>();
        for (String k : names) {
            Tensor t = tensors.get(k);
            long[] o = offsets.get(k);
            entries.add(new SafeTensorsHeader.Entry(k, t.dtype(), t.shape(), o[0], o[1]));
        }
        return entries;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path path) throws IOException {
        long start = pos - b.position();
        while (b.hasRemaining()) {
            if (ch.read(b, start + b.position()) < 0) throw new SafeTensorsException(path, "file ended unexpectedly");
        }
    }
}
