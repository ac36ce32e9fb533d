package org.sinter.nn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.sinter.Tensor;

/**
 * The checksum a {@link Checkpoint} keeps in its metadata: CRC32C over every metadata entry but
 * itself (sorted by key) and every tensor (sorted by name: name, dtype, shape, row-major data).
 * It does not depend on the file's byte layout, so it is recomputed from what was loaded. It
 * catches corruption after the write (bit rot, a bad copy); torn writes cannot happen at all
 * because checkpoints are written atomically.
 */
final class CheckpointChecksum {
    static final String KEY = "checksum.crc32c";

    private CheckpointChecksum() {}

    static String compute(Map<String, Tensor> tensors, Map<String, String> metadata) {
        CRC32C crc = new CRC32C();
        for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
            if (m.getKey().equals(KEY)) continue;
            text(crc, m.getKey());
            text(crc, m.getValue());
        }
        ByteBuffer scratch = TensorBytes.scratch();
        for (Map.Entry<String, Tensor> e : new TreeMap<>(tensors).entrySet()) {
            Tensor t = e.getValue();
            text(crc, e.getKey());
            text(crc, DTypeCodes.code(t.dtype()));
            ByteBuffer shape = ByteBuffer.allocate(4 + 8 * t.dim()).putInt(t.dim());
            for (int d : t.shape()) shape.putLong(d);
            crc.update(shape.flip());
            try {
                TensorBytes.forEachChunk(t, scratch, crc::update);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
        }
        return String.format("%08x", crc.getValue());
    }

    private static void text(CRC32C crc, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        crc.update(ByteBuffer.allocate(4).putInt(b.length).flip());
        crc.update(b);
    }
}
