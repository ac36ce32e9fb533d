package org.sinter.compiler.memory;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
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
     * How to time: replay all allocators in turn for at least {@code warmUp}, and on until the JIT
     * compiler has been idle for {@link #JIT_QUIET} (timings taken before it has compiled an
     * allocator's paths come out several times too slow, and on a busy machine that takes
     * seconds); then take {@code samples} timed samples of each, again in turn so that outside
     * load hits every allocator alike, and keep each one's median. A zero {@code warmUp} skips
     * the warm-up. Other processes still move the absolute numbers: compare allocators within
     * one run.
     */
    public record Timing(Duration warmUp, int samples) {
        /** For reports. */
        public static final Timing STANDARD = new Timing(Duration.ofSeconds(1), 7);
        /** For tests, where only the other numbers matter. */
        public static final Timing QUICK = new Timing(Duration.ZERO, 1);

        public Timing {
            if (samples < 1) throw new IllegalArgumentException("need at least one timed sample");
        }
    }

    /** Every standard allocator on {@code log}. */
    public static List<Result> simulateAll(String logName, AllocationLog log, Timing timing) {
        return simulate(logName, log, STANDARD_ALLOCATORS, timing);
    }

    public static Result simulate(String logName, AllocationLog log, Supplier<Allocator> allocator, Timing timing) {
        return simulate(logName, log, List.of(allocator), timing).getFirst();
    }

    /** Each allocator on {@code log}, in the given order. */
    public static List<Result> simulate(String logName, AllocationLog log, List<Supplier<Allocator>> allocators, Timing timing) {
        double[] nanos = log.events().isEmpty() ? new double[allocators.size()] : medianNanosPerOperation(CompiledLog.of(log), allocators, timing);
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < allocators.size(); i++) results.add(measure(logName, log, allocators.get(i).get(), nanos[i]));
        return results;
    }

    /** Replays {@code log} once through {@code allocator}, looking at its state after every event. */
    private static Result measure(String logName, AllocationLog log, Allocator allocator, double nanosPerOperation) {
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
        return new Result(logName, allocator.name(), log.allocationCount(), peakLive, allocator.reservedBytes(), worstExternal,
                nanosPerOperation);
    }

    /** Operations in one timed sample: small logs are replayed several times so a sample is not too short to time. */
    static final int OPERATIONS_PER_SAMPLE = 50_000;

    private static double[] medianNanosPerOperation(CompiledLog log, List<Supplier<Allocator>> allocators, Timing timing) {
        int events = log.slot().length;
        if (!timing.warmUp().isZero()) warmUp(log, allocators, timing.warmUp());
        int replaysPerSample = Math.max(1, OPERATIONS_PER_SAMPLE / events);
        double[][] perOp = new double[allocators.size()][timing.samples()];
        for (int s = 0; s < timing.samples(); s++) {
            for (int i = 0; i < allocators.size(); i++) {
                long nanos = 0;
                for (int r = 0; r < replaysPerSample; r++) nanos += log.replay(allocators.get(i).get());
                perOp[i][s] = (double) nanos / ((long) replaysPerSample * events);
            }
        }
        double[] medians = new double[allocators.size()];
        for (int i = 0; i < medians.length; i++) {
            Arrays.sort(perOp[i]);
            medians[i] = perOp[i][timing.samples() / 2];
        }
        return medians;
    }

    /** How long the JIT must have compiled nothing before the warm-up ends. */
    static final Duration JIT_QUIET = Duration.ofMillis(300);
    /** The warm-up ends after this even if the JIT never goes quiet. */
    static final Duration LONGEST_WARM_UP = Duration.ofSeconds(30);

    private static void warmUp(CompiledLog log, List<Supplier<Allocator>> allocators, Duration minimum) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean canWatchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long quietSince = start;
        long jitMillis = canWatchJit ? jit.getTotalCompilationTime() : 0;
        while (true) {
            for (Supplier<Allocator> a : allocators) log.replay(a.get());
            long now = System.nanoTime();
            if (canWatchJit && jit.getTotalCompilationTime() != jitMillis) {
                jitMillis = jit.getTotalCompilationTime();
                quietSince = now;
            }
            boolean settled = !canWatchJit || now - quietSince >= JIT_QUIET.toNanos();
            if (now - start >= minimum.toNanos() && (settled || now - start >= LONGEST_WARM_UP.toNanos())) return;
        }
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
