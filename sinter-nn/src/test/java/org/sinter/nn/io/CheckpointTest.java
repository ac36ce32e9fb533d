package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> model(Generator g) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc.weight", g.randn(DType.FLOAT32, 4, 3));
        m.put("fc.bias", g.randn(DType.FLOAT32, 4));
        m.put("bn.num_batches_tracked", Tensor.scalar(12, DType.INT64));
        return m;
    }

    @Test
    void roundTripsEveryPartAndResumesTheRandomStream() throws IOException {
        Generator g = new Generator(5);
        Map<String, Tensor> model = model(g);
        FakeOptimizer opt = new FakeOptimizer(g.randn(DType.FLOAT32, 4, 3), 0.05, 17);
        FakeOptimizer sched = new FakeOptimizer(Tensor.scalar(1.0, DType.FLOAT64), 0.5, 3);
        Checkpoint.builder().model(model).optimizer(opt).scheduler(sched).rng(g).epoch(2).step(17)
                .extra("run", "test-run").build().save(dir.resolve("c.safetensors"));
        Tensor nextDraw = g.randn(DType.FLOAT32, 6);

        Checkpoint c = Checkpoint.load(dir.resolve("c.safetensors"));
        assertEquals(2, c.epoch());
        assertEquals(17, c.step());
        assertEquals(Map.of("run", "test-run"), c.extra());
        assertEquals(List.copyOf(model.keySet()), List.copyOf(c.modelState().keySet()));
        model.forEach((k, v) -> TensorAssert.assertBitsEqual(v, c.modelState().get(k), k));

        FakeOptimizer opt2 = new FakeOptimizer(null, 0, 0), sched2 = new FakeOptimizer(null, 0, 0);
        Generator g2 = new Generator(99);
        c.restore(opt2, sched2, g2);
        TensorAssert.assertBitsEqual(opt.momentum, opt2.momentum, "momentum");
        assertEquals(0.05, opt2.lr);
        assertEquals(17, opt2.steps);
        assertEquals(List.of(0.9, 0.999), opt2.betas);
        assertEquals(0.5, sched2.lr);
        assertArrayEquals(nextDraw.toFloatArray(), g2.randn(DType.FLOAT32, 6).toFloatArray(), "the random stream continues exactly");
    }

    @Test
    void emptyCheckpointHasNoRngState() throws IOException {
        Path p = dir.resolve("e.safetensors");
        Checkpoint.builder().step(1).build().save(p);
        Checkpoint c = Checkpoint.load(p);
        assertNull(c.rngState());
        assertTrue(c.optimizerState().isEmpty());
        assertThrows(IllegalStateException.class, () -> c.restore(null, null, new Generator(1)));
    }

    @Test
    void detectsCorruptionAndForeignFiles() throws IOException {
        Path p = dir.resolve("c.safetensors");
        Checkpoint.builder().model(model(new Generator(1))).step(3).build().save(p);
        byte[] b = Files.readAllBytes(p);
        b[b.length - 5] ^= 0x10; // a bit flip inside the data
        Files.write(p, b);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(p));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());

        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(2)), plain);
        e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(plain));
        assertTrue(e.getMessage().contains("not a Sinter checkpoint"), e.getMessage());
    }

    @Test
    void directoryRotatesAndFallsBackToPrev() throws IOException {
        CheckpointDirectory cd = new CheckpointDirectory(dir.resolve("run"));
        assertTrue(cd.loadLatest().isEmpty());
        for (int step = 1; step <= 3; step++) {
            cd.save(Checkpoint.builder().model(model(new Generator(step))).step(step).build());
        }
        assertEquals(3, Checkpoint.load(cd.lastFile()).step());
        assertEquals(2, Checkpoint.load(cd.prevFile()).step());
        assertEquals(3, cd.loadLatest().orElseThrow().step());

        Files.write(cd.lastFile(), new byte[] {1, 2, 3}); // damaged last: prev is the latest good one
        assertEquals(2, cd.loadLatest().orElseThrow().step());
        Files.delete(cd.lastFile());
        assertEquals(2, cd.loadLatest().orElseThrow().step());
        try (var files = Files.list(cd.dir())) {
            // prev, and the lock file every save takes (it stays, unlocked, between saves).
            assertEquals(List.of(DirectoryLock.FILE, CheckpointDirectory.PREV), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }
}
