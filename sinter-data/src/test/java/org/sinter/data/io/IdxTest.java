package org.sinter.data.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Tensor;

class IdxTest {
    static IdxData sample() {
        byte[] b = new byte[2 * 3];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (250 + i);
        return new IdxData(IdxType.UBYTE, new int[] {2, 3}, b);
    }

    static CorruptDataException corrupt(byte[] bytes) {
        return assertThrows(CorruptDataException.class, () -> Idx.read(new ByteArrayInputStream(bytes), "bad.idx"));
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void roundTripsPlainAndGzip(@TempDir Path dir) throws IOException {
        IdxData d = sample();
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve("x" + gz);
            Idx.write(f, d, gz);
            IdxData back = Idx.read(f);
            assertEquals(d, back);
            assertEquals(255, back.unsigned(5));
            assertEquals(gz, Files.readAllBytes(f)[0] == 0x1f);
        }
        Tensor t = d.toTensor();
        assertEquals(DType.INT32, t.dtype());
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new int[] {250, 251, 252, 253, 254, 255}, t.toIntArray());
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left behind");
        }
    }

    @Test
    void decodesEveryElementType() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(2 * 8);
        b.putDouble(1.5).putDouble(-2.25);
        IdxData dbl = Idx.read(new ByteArrayInputStream(Idx.encode(new IdxData(IdxType.DOUBLE, new int[] {2}, b.array()), false)), "d");
        assertArrayEquals(new double[] {1.5, -2.25}, dbl.toTensor().toDoubleArray());
        ByteBuffer f = ByteBuffer.allocate(8).putFloat(0.5f).putFloat(3f);
        assertArrayEquals(new float[] {0.5f, 3f}, new IdxData(IdxType.FLOAT, new int[] {1, 2}, f.array()).toTensor().toFloatArray());
        ByteBuffer s = ByteBuffer.allocate(4).putShort((short) -3).putShort((short) 300);
        assertArrayEquals(new int[] {-3, 300}, new IdxData(IdxType.SHORT, new int[] {2}, s.array()).toTensor().toIntArray());
        ByteBuffer i = ByteBuffer.allocate(4).putInt(-70000);
        assertEquals(-70000, new IdxData(IdxType.INT, new int[] {1}, i.array()).getDouble(0));
        assertArrayEquals(new int[] {-1, 5}, new IdxData(IdxType.BYTE, new int[] {2}, new byte[] {-1, 5}).toTensor().toIntArray());
    }

    @Test
    void badMagicNamesFileAndField() {
        byte[] good = Idx.encode(sample(), false);
        byte[] bad = good.clone();
        bad[0] = 0x12;
        var e = corrupt(bad);
        assertEquals("bad.idx", e.file());
        assertEquals("magic", e.field());
        assertTrue(e.getMessage().startsWith("bad.idx: magic: bad magic number 0x12000802"), e.getMessage());
        bad = good.clone();
        bad[2] = 0x07;
        e = corrupt(bad);
        assertTrue(e.getMessage().contains("unknown element type code 0x07"), e.getMessage());
        e = corrupt(new byte[] {0, 0});
        assertEquals("magic", e.field());
    }

    /** A zero dimension makes any shape empty: sizes are not rejected as too large before the zero is seen. */
    @Test
    void emptyShapesWithHugeDimensionsAreEmpty() throws IOException {
        IdxData empty = Idx.read(new ByteArrayInputStream(Idx.encode(new IdxData(IdxType.UBYTE, new int[] {100000, 100000, 0}, new byte[0]), false)), "e");
        assertArrayEquals(new int[] {100000, 100000, 0}, empty.dims());
        assertEquals(0, empty.bytes().length);
        var e = corrupt(ByteBuffer.allocate(16).putInt(0x0803).putInt(100000).putInt(100000).putInt(1).array());
        assertEquals("dimension 1", e.field());
        assertTrue(e.getMessage().contains("more than 2 GiB"), e.getMessage());
    }

    @Test
    void truncatedHeaderAndData() {
        byte[] good = Idx.encode(sample(), false); // 4 magic + 8 dims + 6 data
        var e = corrupt(Arrays.copyOf(good, 9));
        assertEquals("dimension 1", e.field());
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        e = corrupt(Arrays.copyOf(good, 15));
        assertEquals("data", e.field());
        assertTrue(e.getMessage().contains("need 6 bytes but the file has only 3"), e.getMessage());
        e = corrupt(Arrays.copyOf(good, 20));
        assertTrue(e.getMessage().contains("2 unexpected bytes"), e.getMessage());
    }

    @Test
    void brokenGzipIsReported() throws IOException {
        byte[] gz = gzip(Idx.encode(sample(), false));
        var e = corrupt(Arrays.copyOf(gz, gz.length - 12));
        assertTrue(e.field().equals("gzip stream") || e.field().equals("data"), e.getMessage());
        byte[] flipped = gz.clone();
        flipped[gz.length - 5] ^= 0x55; // damages the length/CRC trailer
        e = corrupt(flipped);
        assertEquals("gzip stream", e.field());
    }

    @Test
    void missingFileIsAPlainIoError(@TempDir Path dir) {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Idx.read(dir.resolve("nope.idx")));
    }
}
