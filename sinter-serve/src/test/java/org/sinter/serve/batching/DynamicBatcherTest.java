package org.sinter.serve.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;
import org.sinter.serve.config.DynamicBatching;
import org.sinter.serve.runtime.ModelRunner;

/**
 * The batcher with real threads, made deterministic by a gated runner: the test holds the only
 * instance inside a batch while it queues requests, so what the next batch holds does not depend on timing.
 */
class DynamicBatcherTest {
    /** Doubles its input; records each batch's size; each run waits for a permit when gated. */
    static final class GatedRunner implements ModelRunner {
        final List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        /** Each batch's first input value, in the order the batches ran. */
        final List<Float> firstValues = Collections.synchronizedList(new ArrayList<>());
        final Semaphore permits = new Semaphore(0);
        final CountDownLatch entered = new CountDownLatch(1);
        final AtomicInteger concurrent = new AtomicInteger(), maxConcurrent = new AtomicInteger();

        @Override
        public Tensor[] run(Tensor[] in) {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            entered.countDown();
            try {
                if (!permits.tryAcquire(10, TimeUnit.SECONDS)) throw new IllegalStateException("test never released the runner");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                concurrent.decrementAndGet();
            }
            batches.add(in[0].shape()[0]);
            firstValues.add(in[0].toFloatArray()[0]);
            return new Tensor[] {in[0].mul(2)};
        }
    }

    private static Tensor rows(float first, int n) {
        float[] v = new float[n * 2];
        for (int i = 0; i < v.length; i++) v[i] = first + i;
        return Tensor.of(v, n, 2);
    }

    private static DynamicBatching settings(int maxQueue, long timeoutUs, int levels) {
        return new DynamicBatching(0, List.of(), maxQueue, timeoutUs, levels, Math.max(1, levels));
    }

    @Test
    void requestsQueuedWhileTheInstanceIsBusyRunAsOneBatchAndGetTheirOwnRows() throws Exception {
        GatedRunner r = new GatedRunner();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 8, settings(0, 0, 0), BatchObserver.NONE)) {
            CompletableFuture<Tensor[]> first = b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            assertTrue(r.entered.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<Tensor[]>> rest = new ArrayList<>();
            for (int i = 0; i < 3; i++) rest.add(b.submit(new Tensor[] {rows(10 * (i + 1), i + 1)}, 0, 0));
            r.permits.release(2);
            first.get(10, TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                Tensor out = rest.get(i).get(10, TimeUnit.SECONDS)[0];
                assertArrayEquals(rows(10 * (i + 1), i + 1).mul(2).toFloatArray(), out.toFloatArray(), "request " + i + " got another's rows");
            }
            assertEquals(List.of(1, 6), r.batches, "the first request alone, then 1 + 2 + 3 rows together");
        }
    }

    /** Sums each row of a [n, length] input (a fixed-shape output); records each batch's input shape. */
    static final class RowSums implements ModelRunner {
        final List<String> shapes = Collections.synchronizedList(new ArrayList<>());
        final Semaphore permits = new Semaphore(0);
        final CountDownLatch entered = new CountDownLatch(1);

        @Override
        public Tensor[] run(Tensor[] in) {
            entered.countDown();
            try {
                if (!permits.tryAcquire(10, TimeUnit.SECONDS)) throw new IllegalStateException("test never released the runner");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            shapes.add(java.util.Arrays.toString(in[0].shape()));
            return new Tensor[] {in[0].sum(1, true)};
        }
    }

    private static Tensor sequence(int length, float value) {
        float[] v = new float[length];
        java.util.Arrays.fill(v, value);
        return Tensor.of(v, 1, length);
    }

    @Test
    void withPaddingRequestsOfDifferentLengthsShareABatch() throws Exception {
        RowSums r = new RowSums();
        DynamicBatching padded = new DynamicBatching(0, List.of(), 0, 0, 0, 1, true, -1);
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 8, padded, BatchObserver.NONE)) {
            CompletableFuture<Tensor[]> first = b.submit(new Tensor[] {sequence(2, 1)}, 0, 0);
            assertTrue(r.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Tensor[]> shortOne = b.submit(new Tensor[] {sequence(3, 2)}, 0, 0);
            CompletableFuture<Tensor[]> longOne = b.submit(new Tensor[] {sequence(5, 3)}, 0, 0);
            r.permits.release(2);
            assertEquals(2f, first.get(10, TimeUnit.SECONDS)[0].item(), 0f);
            // The 3-long request is padded with two -1s to the batch's 5: 2 + 2 + 2 - 1 - 1.
            assertEquals(4f, shortOne.get(10, TimeUnit.SECONDS)[0].item(), 0f);
            assertEquals(15f, longOne.get(10, TimeUnit.SECONDS)[0].item(), 0f);
            assertEquals(List.of("[1, 2]", "[2, 5]"), r.shapes, "the first alone, then both padded into one batch");
        }
        // Without padding the two lengths wait for batches of their own.
        RowSums plain = new RowSums();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(plain), 8, settings(0, 0, 0), BatchObserver.NONE)) {
            CompletableFuture<Tensor[]> first = b.submit(new Tensor[] {sequence(2, 1)}, 0, 0);
            assertTrue(plain.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Tensor[]> a = b.submit(new Tensor[] {sequence(3, 2)}, 0, 0);
            CompletableFuture<Tensor[]> c = b.submit(new Tensor[] {sequence(5, 3)}, 0, 0);
            plain.permits.release(3);
            first.get(10, TimeUnit.SECONDS);
            assertEquals(6f, a.get(10, TimeUnit.SECONDS)[0].item(), 0f);
            assertEquals(15f, c.get(10, TimeUnit.SECONDS)[0].item(), 0f);
            assertEquals(List.of("[1, 2]", "[1, 3]", "[1, 5]"), plain.shapes);
        }
    }

    @Test
    void withoutDynamicBatchingRequestsRunOneByOne() throws Exception {
        GatedRunner r = new GatedRunner();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 8, null, BatchObserver.NONE)) {
            List<CompletableFuture<Tensor[]>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) fs.add(b.submit(new Tensor[] {rows(i, 1)}, 0, 0));
            r.permits.release(3);
            for (var f : fs) f.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(1, 1, 1), r.batches);
        }
    }

    @Test
    void aFullQueueRejectsWithAClearError() throws Exception {
        GatedRunner r = new GatedRunner();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 1, settings(2, 0, 0), BatchObserver.NONE)) {
            b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            assertTrue(r.entered.await(10, TimeUnit.SECONDS));
            b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            QueueFullException e = assertThrows(QueueFullException.class, () -> b.submit(new Tensor[] {rows(0, 1)}, 0, 0));
            assertTrue(e.getMessage().contains("max_queue_size 2"), e.getMessage());
            r.permits.release(3);
        }
    }

    @Test
    void aRequestPastItsTimeoutFailsWithoutRunning() throws Exception {
        GatedRunner r = new GatedRunner();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 1, settings(0, 0, 0), BatchObserver.NONE)) {
            CompletableFuture<Tensor[]> first = b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            assertTrue(r.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Tensor[]> late = b.submit(new Tensor[] {rows(0, 1)}, 0, 1_000); // 1 ms
            ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(10, TimeUnit.SECONDS));
            assertInstanceOf(RequestTimeoutException.class, e.getCause());
            r.permits.release(1);
            first.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(1), r.batches, "the timed-out request never ran");
        }
    }

    @Test
    void higherPriorityRequestsRunFirst() throws Exception {
        // The order the batches run in, as the runner sees them (first values 0, then high 20, low 10):
        // each batch's answers are completed on a thread of their own, so the order of the futures'
        // callbacks is not the order of the runs.
        GatedRunner r = new GatedRunner();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 1, settings(0, 0, 2), BatchObserver.NONE)) {
            b.submit(new Tensor[] {rows(0, 1)}, 1, 0);
            assertTrue(r.entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Tensor[]> low = b.submit(new Tensor[] {rows(10, 1)}, 2, 0);
            CompletableFuture<Tensor[]> high = b.submit(new Tensor[] {rows(20, 1)}, 1, 0);
            assertThrows(IllegalArgumentException.class, () -> b.submit(new Tensor[] {rows(0, 1)}, 3, 0));
            r.permits.release(3);
            low.get(10, TimeUnit.SECONDS);
            high.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(0f, 20f, 10f), r.firstValues, "the level-1 request queued after the level-2 one ran first");
    }

    @Test
    void severalInstancesRunBatchesAtTheSameTime() throws Exception {
        GatedRunner shared = new GatedRunner();
        try (DynamicBatcher b = new DynamicBatcher("m/1", List.of(shared, shared), 1, settings(0, 0, 0), BatchObserver.NONE)) {
            var f1 = b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            var f2 = b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
            // both batches are held inside run() until released: the second instance must get there
            // while the first is still busy (bounded wait, no sleep-based timing)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (shared.concurrent.get() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
            assertEquals(2, shared.concurrent.get(), "the second instance did not start while the first was busy");
            shared.permits.release(2);
            f1.get(10, TimeUnit.SECONDS);
            f2.get(10, TimeUnit.SECONDS);
            assertEquals(2, shared.maxConcurrent.get());
        }
    }

    @Test
    void closingRunsWhatIsQueuedAndRefusesNewRequests() throws Exception {
        GatedRunner r = new GatedRunner();
        DynamicBatcher b = new DynamicBatcher("m/1", List.of(r), 4, settings(0, 0, 0), BatchObserver.NONE);
        var f1 = b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
        assertTrue(r.entered.await(10, TimeUnit.SECONDS));
        var f2 = b.submit(new Tensor[] {rows(0, 1)}, 0, 0);
        r.permits.release(2);
        b.close();
        assertTrue(f1.isDone() && f2.isDone() && !f2.isCompletedExceptionally());
        assertThrows(ModelUnavailableException.class, () -> b.submit(new Tensor[] {rows(0, 1)}, 0, 0));
    }
}
