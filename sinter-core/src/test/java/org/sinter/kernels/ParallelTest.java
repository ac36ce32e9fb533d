package org.sinter.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The intra-op pool: every index exactly once, errors surface, nesting and concurrent callers are safe. */
class ParallelTest {
    private final int saved = Parallel.numThreads();

    @AfterEach
    void restore() {
        Parallel.setNumThreads(saved);
    }

    /** Runs a loop and checks that every index in [0, n) was visited exactly once. */
    private static void coversOnce(int n, int grain) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Parallel.forRange(n, grain, (s, e) -> {
            assertTrue(0 <= s && s < e && e <= n, "piece [" + s + ", " + e + ") of " + n);
            for (int i = s; i < e; i++) seen.incrementAndGet(i);
        });
        for (int i = 0; i < n; i++) assertEquals(1, seen.get(i), "index " + i + " of " + n + " (grain " + grain + ")");
    }

    @Test
    void everyIndexExactlyOnceForAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setNumThreads(threads);
            for (int n : new int[] {0, 1, 2, 7, 64, 1000, 100_003}) {
                for (int grain : new int[] {1, 3, 1000}) coversOnce(n, grain);
            }
        }
    }

    @Test
    void exceptionsReachTheCallerAndThePoolStaysUsable() {
        Parallel.setNumThreads(3);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forRange(1000, 1, (s, e) -> {
                    if (s <= 500 && 500 < e) throw boom;
                }));
        assertSame(boom, thrown);
        assertThrows(AssertionError.class, () -> Parallel.forRange(1000, 1, (s, e) -> {
            if (s == 0) throw new AssertionError("an Error passes through as itself");
        }));
        coversOnce(10_000, 1);
    }

    @Test
    void nestedLoopsRunSeriallyInsideARegion() {
        Parallel.setNumThreads(2);
        assertFalse(Parallel.inWorker());
        AtomicIntegerArray seen = new AtomicIntegerArray(100 * 50);
        Parallel.forRange(100, 1, (s, e) -> {
            assertTrue(Parallel.inWorker());
            for (int i = s; i < e; i++) {
                int row = i;
                Parallel.forRange(50, 1, (a, b) -> {
                    assertEquals(0, a);
                    assertEquals(50, b); // serial: one piece, the whole range
                    for (int j = a; j < b; j++) seen.incrementAndGet(row * 50 + j);
                });
            }
        });
        assertFalse(Parallel.inWorker());
        for (int i = 0; i < seen.length(); i++) assertEquals(1, seen.get(i));
    }

    @Test
    void concurrentCallersEachCompleteTheirOwnLoop() throws Exception {
        Parallel.setNumThreads(2);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                futures.add(callers.submit(() -> {
                    for (int r = 0; r < 200; r++) coversOnce(5000, 16);
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void threadCountChangesBetweenLoops() {
        for (int threads : new int[] {4, 1, 2, 4}) {
            Parallel.setNumThreads(threads);
            assertEquals(threads, Parallel.numThreads());
            coversOnce(50_000, 1);
        }
        assertThrows(IllegalArgumentException.class, () -> Parallel.setNumThreads(0));
    }
}
