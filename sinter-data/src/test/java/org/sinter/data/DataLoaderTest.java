package org.sinter.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

class DataLoaderTest {
    /** Sample i is (x = [i, i + noise], label i % 10), where noise comes from the sample's generator. */
    static final class Noisy implements Dataset<Example> {
        final int n;
        final AtomicInteger reads = new AtomicInteger();

        Noisy(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Example get(int index) {
            return get(index, Generator.global());
        }

        @Override
        public Example get(int index, Generator gen) {
            reads.incrementAndGet();
            return Example.of(Tensor.of(new float[] {index, index + gen.random().nextFloat()}), index % 10);
        }
    }

    static List<String> firstColumn(Iterable<Batch> loader) {
        List<String> out = new ArrayList<>();
        for (Batch b : loader) {
            StringBuilder sb = new StringBuilder();
            float[] x = b.input().toFloatArray();
            for (int i = 0; i < x.length; i += 2) sb.append((int) x[i]).append(' ');
            out.add(sb.toString().strip());
        }
        return out;
    }

    static List<float[]> everything(Iterable<Batch> loader) {
        List<float[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.input().toFloatArray());
            out.add(b.target().to(DType.FLOAT32).toFloatArray());
        }
        return out;
    }

    static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("sinter-data-worker-") && t.isAlive()).count();
    }

    static void awaitNoWorkers() throws InterruptedException {
        for (int i = 0; i < 100 && workerThreads() > 0; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, workerThreads(), "worker threads still alive");
    }

    @AfterEach
    void noLeakedThreads() throws InterruptedException {
        awaitNoWorkers();
    }

    @Test
    void batchesInOrderWithDefaultCollate() {
        var loader = DataLoader.builder(new Noisy(10)).batchSize(4).build();
        assertEquals(3, loader.size());
        assertEquals(List.of("0 1 2 3", "4 5 6 7", "8 9"), firstColumn(loader));
        Batch first = loader.iterator().next();
        assertArrayEquals(new int[] {4, 2}, first.input().shape());
        assertEquals(DType.FLOAT32, first.input().dtype());
        assertEquals(DType.INT64, first.target().dtype());
        assertArrayEquals(new long[] {0, 1, 2, 3}, first.target().toLongArray());
        assertEquals(4, first.size());
    }

    @Test
    void shardsMakeUpTheUnshardedBatchesAndReadOnlyTheirPart() {
        // 23 samples in global batches of 6 over 3 ranks: 3 full global batches, the short one dropped.
        List<float[]> whole = everything(DataLoader.builder(new Noisy(23)).batchSize(6).shuffle(true).dropLast(true).generator(new Generator(5)).build());
        List<List<float[]>> parts = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Noisy data = new Noisy(23);
            DataLoader<Batch> shard = DataLoader.builder(data).batchSize(6).shuffle(true).generator(new Generator(5)).numWorkers(r % 2).build().shard(r, 3);
            assertEquals(3, shard.size());
            parts.add(everything(shard));
            assertEquals(3 * 2, data.reads.get(), "rank " + r + " reads only its 2 samples of each of the 3 global batches");
        }
        for (int b = 0; b < 3; b++) {
            float[] x = whole.get(2 * b), y = whole.get(2 * b + 1);
            for (int r = 0; r < 3; r++) {
                float[] px = parts.get(r).get(2 * b), py = parts.get(r).get(2 * b + 1);
                assertArrayEquals(java.util.Arrays.copyOfRange(x, r * 4, r * 4 + 4), px, "batch " + b + " rank " + r + " inputs (random values included)");
                assertArrayEquals(java.util.Arrays.copyOfRange(y, r * 2, r * 2 + 2), py, "batch " + b + " rank " + r + " targets");
            }
        }
        var loader = DataLoader.builder(new Noisy(10)).batchSize(4).build();
        assertThrows(IllegalArgumentException.class, () -> loader.shard(0, 3), "4 does not split over 3 ranks");
        assertThrows(IllegalArgumentException.class, () -> loader.shard(2, 2));
    }

    @Test
    void dropLastDropsTheShortBatch() {
        var loader = DataLoader.builder(new Noisy(10)).batchSize(4).dropLast(true).numWorkers(2).build();
        assertEquals(2, loader.size());
        assertEquals(List.of("0 1 2 3", "4 5 6 7"), firstColumn(loader));
        var exact = DataLoader.builder(new Noisy(8)).batchSize(4).dropLast(true).build();
        assertEquals(2, exact.size());
    }

    @Test
    void shuffleIsReproducibleAndDiffersPerEpoch() {
        var a = DataLoader.builder(new Noisy(50)).batchSize(7).shuffle(true).seed(123).build();
        var b = DataLoader.builder(new Noisy(50)).batchSize(7).shuffle(true).seed(123).build();
        List<String> a1 = firstColumn(a), a2 = firstColumn(a);
        assertEquals(a1, firstColumn(b));
        assertEquals(a2, firstColumn(b));
        assertNotEquals(a1, a2, "each epoch draws a new permutation");
        List<Integer> seen = new ArrayList<>();
        for (String s : a1) for (String v : s.split(" ")) seen.add(Integer.parseInt(v));
        assertEquals(50, seen.size());
        assertEquals(50, seen.stream().distinct().count());
        assertNotEquals(firstColumn(DataLoader.builder(new Noisy(50)).batchSize(7).build()), a1);
    }

    @Test
    void workersGiveExactlyTheSameBatchesAsTheConsumerThread() {
        List<List<float[]>> runs = new ArrayList<>();
        for (int workers : new int[] {0, 1, 3}) {
            var loader = DataLoader.builder(new Noisy(103)).batchSize(8).shuffle(true).seed(7)
                    .numWorkers(workers).prefetchFactor(2).build();
            List<float[]> epochs = new ArrayList<>(everything(loader));
            epochs.addAll(everything(loader));
            runs.add(epochs);
        }
        for (int r = 1; r < runs.size(); r++) {
            assertEquals(runs.get(0).size(), runs.get(r).size());
            for (int i = 0; i < runs.get(0).size(); i++) assertArrayEquals(runs.get(0).get(i), runs.get(r).get(i), "batch part " + i);
        }
    }

    @Test
    void prefetchIsBounded() throws InterruptedException {
        Noisy ds = new Noisy(1000);
        var loader = DataLoader.builder(ds).batchSize(10).numWorkers(2).prefetchFactor(2).build();
        try (var it = loader.iterator()) {
            it.next();
            Thread.sleep(200); // give the workers time to run ahead as far as they may
            // consumed 1 batch; at most 2 * 2 more are loaded or loading
            assertTrue(ds.reads.get() <= 10 * (1 + 4), "read " + ds.reads.get() + " samples");
        }
    }

    @Test
    void earlyBreakWithCloseStopsWorkers() throws InterruptedException {
        var loader = DataLoader.builder(new Noisy(10_000)).batchSize(5).numWorkers(3).build();
        try (var it = loader.iterator()) {
            for (int i = 0; i < 3; i++) it.next();
            assertTrue(workerThreads() > 0);
        }
        awaitNoWorkers();
    }

    @Test
    void earlyBreakFromForEachDoesNotLeakThreads() throws InterruptedException {
        var loader = DataLoader.builder(new Noisy(10_000)).batchSize(5).numWorkers(2).build();
        int seen = 0;
        for (Batch b : loader) {
            if (++seen == 2) break;
        }
        awaitNoWorkers(); // daemon workers exit when idle or when the abandoned iterator is collected
    }

    @Test
    void workerExceptionNamesTheFailingIndex() {
        Dataset<Example> bad = new Dataset<>() {
            @Override
            public int size() {
                return 40;
            }

            @Override
            public Example get(int index) {
                if (index == 13) throw new IllegalStateException("broken record");
                return Example.of(Tensor.zeros(2), 0);
            }
        };
        for (int workers : new int[] {0, 2}) {
            var loader = DataLoader.builder(bad).batchSize(4).numWorkers(workers).build();
            var it = loader.iterator();
            int batches = 0;
            DataLoaderException e = null;
            try {
                while (it.hasNext()) {
                    it.next();
                    batches++;
                }
            } catch (DataLoaderException ex) {
                e = ex;
            }
            assertNotNull(e, "workers=" + workers);
            assertEquals(3, batches);
            assertEquals(13, e.sampleIndex());
            assertEquals(3, e.batchIndex());
            assertTrue(e.getMessage().contains("sample 13"), e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertFalse(it.hasNext(), "the epoch is over after a failure");
        }
    }

    @Test
    void collateErrorsNameTheField() {
        Dataset<Tensor> ragged = new Dataset<>() {
            @Override
            public int size() {
                return 3;
            }

            @Override
            public Tensor get(int index) {
                return Tensor.zeros(index == 2 ? 3 : 2);
            }
        };
        var e = assertThrows(DataLoaderException.class, () -> DataLoader.of(ragged, 3, false).iterator().next());
        assertEquals(-1, e.sampleIndex());
        assertTrue(e.getCause().getMessage().contains("sample 2"), e.getCause().getMessage());
    }

    @Test
    void defaultCollateStacksTuplesAndNumbers() {
        Batch b = Collate.stack().collate(List.of(
                List.of(Tensor.of(new float[] {1, 2}), 3, 0.5, true),
                List.of(Tensor.of(new float[] {4, 5}), 6, 1.5, false)));
        assertEquals(4, b.arity());
        assertArrayEquals(new int[] {2, 2}, b.get(0).shape());
        assertEquals(DType.INT64, b.get(1).dtype());
        assertArrayEquals(new long[] {3, 6}, b.get(1).toLongArray());
        assertEquals(DType.FLOAT64, b.get(2).dtype());
        assertEquals(DType.BOOL, b.get(3).dtype());
        var e = assertThrows(IllegalArgumentException.class, () -> Collate.stack().collate(List.of(List.of(1), List.of("x"))));
        assertTrue(e.getMessage().contains("field 0 of sample 1"), e.getMessage());
    }

    @Test
    void customCollateAndTensorDataset() {
        var loader = DataLoader.builder(DatasetTest.numbers(9)).batchSize(4)
                .collate(samples -> samples.size()).numWorkers(1).build();
        List<Integer> sizes = new ArrayList<>();
        for (int s : loader) sizes.add(s);
        assertEquals(List.of(4, 4, 1), sizes);
        Batch b = DataLoader.of(DatasetTest.numbers(9), 5, false).iterator().next();
        assertArrayEquals(new int[] {5, 2}, b.input().shape());
        assertArrayEquals(new long[] {0, 1, 2, 0, 1}, b.target().toLongArray());
    }
}
