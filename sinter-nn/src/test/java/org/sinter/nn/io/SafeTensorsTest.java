package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtypeAndShape() throws IOException {
        Generator g = new Generator(7);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b.mask", g.rand(DType.FLOAT32, 3, 5).gt(0.5));
        m.put("a.f32", g.randn(DType.FLOAT32, 4, 3, 2));
        m.put("f64", g.randn(DType.FLOAT64, 7));
        m.put("i32", Tensor.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 2));
        m.put("i64", g.randint(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 3));
        m.put("bf16", g.randn(DType.FLOAT32, 9).to(DType.BFLOAT16));
        m.put("f16", g.randn(DType.FLOAT32, 2, 3).to(DType.FLOAT16));
        m.put("scalar", Tensor.scalar(-2.5, DType.FLOAT64));
        m.put("empty", Tensor.zeros(DType.INT64, 2, 0, 3));
        m.put("view", g.randn(DType.FLOAT32, 4, 6).t().slice(0, 1, 6, 2)); // non-contiguous, offset
        Path p = dir.resolve("all.safetensors");
        SafeTensors.save(m, p, Map.of("epoch", "3"));

        SafeTensors.Contents c = SafeTensors.read(p);
        assertEquals(List.copyOf(m.keySet()), List.copyOf(c.tensors().keySet()), "header order is map order");
        m.forEach((k, v) -> TensorAssert.assertBitsEqual(v, c.tensors().get(k), k));
        assertEquals(Map.of("epoch", "3"), c.metadata());
        assertEquals(Map.of("epoch", "3"), SafeTensors.readMetadata(p));
        assertTrue(c.tensors().get("view").isContiguous());
    }

    @Test
    void headerIsPaddedAndDataAligned() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("flag", Tensor.of(new boolean[] {true}));
        m.put("x", Tensor.of(new double[] {1, 2}));
        m.put("h", Tensor.of(new float[] {1}).to(DType.FLOAT16));
        m.put("y", Tensor.of(new float[] {3}));
        Path p = dir.resolve("a.safetensors");
        SafeTensors.save(m, p, null);
        byte[] bytes = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header length is a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"flag\""), header);
        assertTrue(header.contains("\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}"), header);
        assertTrue(header.contains("\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]}"), header);
        assertTrue(header.contains("\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[20,22]}"), header);
        assertTrue(header.contains("\"flag\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[22,23]}"), header);
        assertEquals(8 + n + 23, bytes.length);
        assertTrue(!header.contains("__metadata__"), "no metadata key when there is none");
    }

    /** Identical state gives identical bytes: metadata keys are sorted, unordered maps' tensors too. */
    @Test
    void sameStateWritesSameBytes() throws IOException {
        Tensor w = Tensor.arange(0, 6, 1, DType.FLOAT32).reshape(2, 3), b = Tensor.of(new long[] {1, 2}, 2);
        Tensor h = Tensor.ones(DType.FLOAT16, 3);
        Map<String, String> meta1 = new LinkedHashMap<>(), meta2 = new LinkedHashMap<>();
        for (String k : List.of("epoch", "step", "format", "zeta", "alpha")) meta1.put(k, "v-" + k);
        for (String k : List.of("alpha", "format", "zeta", "step", "epoch")) meta2.put(k, "v-" + k);
        Map<String, Tensor> hashed1 = new java.util.HashMap<>(), hashed2 = new java.util.HashMap<>();
        hashed1.put("w", w);
        hashed1.put("b", b);
        hashed1.put("h", h);
        hashed2.put("h", h);
        hashed2.put("w", w);
        hashed2.put("b", b);
        Path p1 = dir.resolve("one.safetensors"), p2 = dir.resolve("two.safetensors"), p3 = dir.resolve("three.safetensors");
        SafeTensors.save(hashed1, p1, meta1);
        SafeTensors.save(hashed2, p2, meta2);
        SafeTensors.save(Map.of("b", b, "h", h, "w", w), p3, Map.copyOf(meta1));
        byte[] bytes = Files.readAllBytes(p1);
        assertArrayEquals(bytes, Files.readAllBytes(p2));
        assertArrayEquals(bytes, Files.readAllBytes(p3));
        String header = new String(bytes, 8, (int) ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong(), StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"alpha\":\"v-alpha\",\"epoch\":\"v-epoch\",\"format\""), header);
        assertEquals(List.of("b", "h", "w"), List.copyOf(SafeTensors.load(p1).keySet()));
        // A map with an order of its own (a state dict) keeps it.
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        ordered.put("w", w);
        ordered.put("b", b);
        ordered.put("h", h);
        SafeTensors.save(ordered, p1, meta2);
        assertEquals(List.of("w", "b", "h"), List.copyOf(SafeTensors.load(p1).keySet()));
    }

    /** Saving onto a directory says so and names it, rather than the temporary file the rename failed on. */
    @Test
    void savingOntoADirectoryNamesIt() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.safetensors"));
        var e = assertThrows(java.nio.file.FileSystemException.class, () -> SafeTensors.save(Map.of("w", Tensor.ones(2)), target));
        assertTrue(e.getMessage().contains(target + ": is a directory"), e.getMessage());
        assertTrue(!e.getMessage().contains(".tmp"), e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList());
        }
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
        Path p = dir.resolve("w.safetensors");
        SafeTensors.save(Map.of("a", Tensor.ones(3)), p);
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("ok", Tensor.ones(2));
        bad.put("__metadata__", Tensor.ones(2));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.save(bad, p));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertEquals(3, SafeTensors.load(p).get("a").numel(), "the old file is untouched");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p.getFileName().toString()), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    // ------------------------------------------------------------------ validation

    private Path raw(String name, long headerLength, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    private Path raw(String name, String header, int dataBytes) throws IOException {
        return raw(name, header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private void assertFails(Path p, String... fragments) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(p));
        assertTrue(e.getMessage().contains(p.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' in: " + e.getMessage());
    }

    @Test
    void rejectsBadLengths() throws IOException {
        Path tiny = dir.resolve("tiny");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertFails(tiny, "too short");
        assertFails(raw("long", 1000, "{}", 0), "header length 1000", "larger than");
        assertFails(raw("neg", -1, "{}", 0), "header length 18446744073709551615");
        assertFails(raw("notjson", "[1,2]", 0), "does not start with '{'");
        assertFails(raw("broken", "{\"a\":", 0), "not valid JSON");
        assertFails(raw("trail", "{} x", 0), "not valid JSON");
    }

    @Test
    void rejectsBadOffsetsAndLayouts() throws IOException {
        assertFails(raw("range", "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4),
                "tensor \"w\"", "out of range", "holds 4 bytes");
        assertFails(raw("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "\"b\"", "overlaps tensor \"a\"");
        assertFails(raw("hole", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "bytes [0, 4)", "hole");
        assertFails(raw("tail", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8), "bytes [4, 8)");
        assertFails(raw("backwards", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", 4), "ends before");
        assertFails(raw("mismatch", "{\"a\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,24]}}", 24),
                "tensor \"a\"", "need 48 bytes", "span 24");
        assertFails(raw("nooffsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "\"data_offsets\"");
    }

    @Test
    void rejectsBadDtypesShapesAndMetadata() throws IOException {
        assertFails(raw("dtype", "{\"a\":{\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                "tensor \"a\"", "dtype \"F31\" is unknown");
        assertFails(raw("u8", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1), "not supported by Sinter");
        assertFails(raw("shape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "\"shape\" entry 0");
        assertFails(raw("shape2", "{\"a\":{\"dtype\":\"F32\",\"shape\":\"x\",\"data_offsets\":[0,4]}}", 4), "\"shape\"");
        assertFails(raw("dup", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "Duplicate field 'a'");
        assertFails(raw("meta", "{\"__metadata__\":{\"epoch\":3}}", 0), "\"epoch\" must be a string");
        Path bool = raw("bool", "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1);
        byte[] b = Files.readAllBytes(bool);
        b[b.length - 1] = 2;
        Files.write(bool, b);
        assertFails(bool, "tensor \"m\"", "BOOL element 0 is 2");
    }

    @Test
    void readsPaddedHeadersAndEmptyFiles() throws IOException {
        Path p = raw("pad", "{\"a\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}      ", 4);
        Tensor a = SafeTensors.load(p).get("a");
        assertEquals(0, a.dim());
        assertArrayEquals(new int[0], a.shape());
        assertTrue(SafeTensors.load(raw("none", "{}", 0)).isEmpty());
    }

    /** Sizes are products with overflow checks, and a zero dimension makes any shape empty. */
    @Test
    void emptyShapesWithHugeDimensionsAreEmptyNotTooLarge() throws IOException {
        Tensor e = SafeTensors.load(raw("empty", "{\"e\":{\"dtype\":\"F32\",\"shape\":[100000,100000,0],\"data_offsets\":[0,0]}}", 0)).get("e");
        assertArrayEquals(new int[] {100000, 100000, 0}, e.shape());
        assertEquals(0, e.numel());
        assertFails(raw("huge", "{\"h\":{\"dtype\":\"F32\",\"shape\":[100000,100000,1],\"data_offsets\":[0,0]}}", 0),
                "tensor \"h\"", "more elements than a Sinter tensor can hold");
    }
}
