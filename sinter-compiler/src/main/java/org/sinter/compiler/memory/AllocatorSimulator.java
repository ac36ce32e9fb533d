package org.sinter.compiler.memory;

import java.util.ArrayList;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Replays an {@link AllocationLog} through an {@link Allocator} and measures it. One replay
 * follows the allocator's state after every event (peaks, fragmentation); separate timed replays
 * do nothing but the calls, so the bookkeeping here does not count as allocator time.
 */
public final class AllocatorSimulator {
    private AllocatorSimulator() {}

    /** The four allocators of the comparison, fresh each call, in report order. */
    public static final List<Supplier<Allocator>> STANDARD_ALLOCATORS =
            List.of(FirstFitAllocator::new, BestFitAllocator::new, BuddyAllocator::new, BfcAllocator::new);

    /**
     * What one allocator did with one log.
     *
     * @param peakLiveBytes the most bytes the program held at once, as requested (before rounding)
     * @param peakReservedBytes the most bytes the allocator took from the device
     * @param worstExternalFragmentation the largest {@code 1 - largest free block / total free}
     *     after any event: how scattered the free memory got (0 when there is none)
     * @param nanosPerOperation replay time / (allocs + frees), the median of the timed samples
     */
    public record Result(String log, String allocator, int allocations, long peakLiveBytes, long peakReservedBytes,
            double worstExternalFragmentation, double nanosPerOperation) {
        /** {@code 1 - peakLive / peakReserved}: the share of reserved memory the program never used at once. */
        public double fragmentation() {
            return peakReservedBytes == 0 ? 0 : 1 - (double) peakLiveBytes / peakReservedBytes;
        }
    }

    /**
     * How to time: replay for {@code warmUp} first (the JIT needs a few hundred milliseconds to
     * compile an allocator's paths; timings before that are several times too slow), then take
     * the median of {@code samples} timed samples.
     */
    public record Timing(Duration warmUp, int samples) {
        /** For reports. */
        public static final Timing STANDARD = new Timing(Duration.ofMillis(500), 7);
        /** For tests, where only the other numbers matter. */
        public static final Timing QUICK = new Timing(Duration.ZERO, 1);

        public Timing {
            if (samples < 1) throw new IllegalArgumentException("need at least one timed sample");
        }
    }

    /** Every standard allocator on {@code log}. */
    public static List<Result> simulateAll(String logName, AllocationLog log, Timing timing) {
        List<Result> results = new ArrayList<>();
        for (Supplier<Allocator> a : STANDARD_ALLOCATORS) results.add(simulate(logName, log, a, timing));
        return results;
    }

    public static Result simulate(String logName, AllocationLog log, Supplier<Allocator> allocators, Timing timing) {
        Allocator allocator = allocators.get();
        Map<Long, Long> offsetById = new HashMap<>();
        Map<Long, Long> bytesById = new HashMap<>();
        long live = 0;
        long peakLive = 0;
        double worstExternal = 0;
        for (AllocationLog.Event e : log.events()) {
            switch (e) {
                case AllocationLog.Alloc a -> {
                    offsetById.put(a.id(), allocator.malloc(a.bytes()));
                    bytesById.put(a.id(), a.bytes());
                    live += a.bytes();
                    peakLive = Math.max(peakLive, live);
                }
                case AllocationLog.Free f -> {
                    allocator.free(offsetById.remove(f.id()));
                    live -= bytesById.remove(f.id());
                }
            }
            worstExternal = Math.max(worstExternal, externalFragmentation(allocator.freeBlocks()));
        }
        double perOp = log.events().isEmpty() ? 0 : medianNanosPerOperation(CompiledLog.of(log), allocators, timing);
        return new Result(logName, allocator.name(), log.allocationCount(), peakLive, allocator.reservedBytes(), worstExternal, perOp);
    }

    /** Operations in one timed sample: small logs are replayed several times so a sample is not too short to time. */
    static final int OPERATIONS_PER_SAMPLE = 50_000;

    private static double medianNanosPerOperation(CompiledLog log, Supplier<Allocator> allocators, Timing timing) {
        int events = log.slot().length;
        long warmUpEnd = System.nanoTime() + timing.warmUp().toNanos();
        do {
            log.replay(allocators.get());
        } while (System.nanoTime() < warmUpEnd);
        int samples = timing.samples();
        int replaysPerSample = Math.max(1, OPERATIONS_PER_SAMPLE / events);
        double[] perOp = new double[samples];
        for (int i = 0; i < samples; i++) {
            long nanos = 0;
            for (int r = 0; r < replaysPerSample; r++) nanos += log.replay(allocators.get());
            perOp[i] = (double) nanos / ((long) replaysPerSample * events);
        }
        Arrays.sort(perOp);
        return perOp[samples / 2];
    }

    /** {@code 1 - largest / total} over the free blocks; 0 when nothing is free. */
    public static double externalFragmentation(List<Allocator.Block> freeBlocks) {
        long total = 0;
        long largest = 0;
        for (Allocator.Block b : freeBlocks) {
            total += b.size();
            largest = Math.max(largest, b.size());
        }
        return total == 0 ? 0 : 1 - (double) largest / total;
    }

    /**
     * The log as flat arrays, so a timed replay spends its time in the allocator: event {@code i}
     * allocates {@code bytes[i]} into slot {@code slot[i]} when that is non-negative, and frees
     * slot {@code ~slot[i]} otherwise. Each allocation has its own slot.
     */
    private record CompiledLog(int[] slot, long[] bytes, int slots) {
        static CompiledLog of(AllocationLog log) {
            int n = log.events().size();
            int[] slot = new int[n];
            long[] bytes = new long[n];
            Map<Long, Integer> slotById = new HashMap<>();
            int slots = 0;
            for (int i = 0; i < n; i++) {
                switch (log.events().get(i)) {
                    case AllocationLog.Alloc a -> {
                        slotById.put(a.id(), slots);
                        slot[i] = slots++;
                        bytes[i] = a.bytes();
                    }
                    case AllocationLog.Free f -> slot[i] = ~slotById.remove(f.id());
                }
            }
            return new CompiledLog(slot, bytes, slots);
        }

        /** Runs every event through {@code allocator}; returns the nanoseconds it took. */
        long replay(Allocator allocator) {
            long[] offsets = new long[slots];
            long start = System.nanoTime();
            for (int i = 0; i < slot.length; i++) {
                int s = slot[i];
                if (s >= 0) offsets[s] = allocator.malloc(bytes[i]);
                else allocator.free(offsets[~s]);
            }
            return System.nanoTime() - start;
        }
    }
}
