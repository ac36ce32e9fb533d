package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Tensor;

/** .npy in and out: round trips per dtype, NumPy's Fortran order and big-endian data, malformed files. */
class NpyTest {
    @Test
    void roundTripsEveryDtypeAndRank(@TempDir Path dir) throws Exception {
        Tensor[] ts = {Tensor.randn(2, 3, 4), Tensor.of(new double[] {1.5, -2}, 2), Tensor.of(new int[] {7}, 1).reshape(new int[0]),
                Tensor.of(new long[] {1L << 40, -3, 5, 6}, 2, 2), Tensor.of(new boolean[] {true, false, true}, 3), Tensor.zeros(0, 3)};
        for (Tensor t : ts) {
            Path f = dir.resolve("t.npy");
            Npy.write(f, t);
            Tensor back = Npy.read(f);
            assertEquals(t.dtype(), back.dtype());
            assertArrayEquals(t.shape(), back.shape());
            assertTrue(t.equal(back), t + " vs " + back);
        }
    }

    /** A file as NumPy writes it, with a header we build by hand. */
    private static byte[] npy(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h).put(data);
        return b.array();
    }

    @Test
    void readsFortranOrderAndBigEndian() {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
        for (int v : new int[] {1, 4, 2, 5, 3, 6}) data.putFloat(v); // column-major [[1,2,3],[4,5,6]]
        Tensor t = Npy.read(npy("{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }\n", data.array()), "f.npy");
        assertTrue(t.equal(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)), t.toString());
        Tensor u8 = Npy.read(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }\n", new byte[] {(byte) 200, 3}), "u.npy");
        assertEquals(DType.INT32, u8.dtype());
        assertEquals(200.0, u8.get(0));
    }

    @Test
    void malformedFilesAreNamed() {
        assertTrue(assertThrows(OnnxException.class, () -> Npy.read(new byte[] {1, 2, 3}, "x.npy")).getMessage().contains("x.npy: not a .npy file"));
        String shortData = assertThrows(OnnxException.class,
                () -> Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", new byte[8]), "s.npy")).getMessage();
        assertTrue(shortData.contains("s.npy") && shortData.contains("needs 24"), shortData);
        String type = assertThrows(OnnxException.class,
                () -> Npy.read(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", new byte[8]), "c.npy")).getMessage();
        assertTrue(type.contains("c8"), type);
        String huge = assertThrows(OnnxException.class,
                () -> Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }\n", new byte[0]), "h.npy")).getMessage();
        assertTrue(huge.contains("2^31"), huge);
    }
}
