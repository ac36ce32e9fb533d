package org.sinter.compiler.memory;

import java.util.List;
import java.util.Locale;
import org.sinter.compiler.ir.Value;

/**
 * Where each intermediate of a graph lives: an offset in its dtype's arena, for its lifetime in
 * steps. Buffers that escape (graph outputs, or memory a graph output views) are not placed: they
 * are handed to the caller.
 */
public final class MemoryPlan {
    /** One tensor's memory: written at step {@code def}, last read at {@code lastUse}. */
    public static final class Buffer {
        final Value value;
        final long bytes;
        final int def;
        int lastUse;
        long offset = -1;
        boolean escapes;
        /** The input whose place this buffer takes, written in place by its op (null: none). */
        Buffer reuses;

        Buffer(Value value, long bytes, int def) {
            this.value = value;
            this.bytes = bytes;
            this.def = def;
            this.lastUse = def;
        }

        public Value value() { return value; }

        public long bytes() { return bytes; }

        public int def() { return def; }

        public int lastUse() { return lastUse; }

        /** Offset in the arena, or -1 for an escaping buffer. */
        public long offset() { return offset; }

        public boolean escapes() { return escapes; }
    }

    private final List<Buffer> placed, all;
    private final int steps;

    MemoryPlan(List<Buffer> placed, List<Buffer> all, int steps) {
        this.placed = placed;
        this.all = all;
        this.steps = steps;
    }

    public List<Buffer> buffers() { return placed; }

    /** Bytes of the arenas: the planned peak of the intermediates. */
    public long plannedBytes() {
        long peak = 0;
        for (var dt : placed.stream().map(b -> b.value.dtype()).distinct().toList()) {
            long end = 0;
            for (Buffer b : placed) if (b.value.dtype() == dt) end = Math.max(end, b.offset + b.bytes);
            peak += MemoryPlanner.align(end);
        }
        return peak;
    }

    /** Bytes if every intermediate had its own memory for the whole run. */
    public long naiveBytes() {
        return placed.stream().mapToLong(b -> MemoryPlanner.align(b.bytes)).sum();
    }

    /** The most intermediate bytes live at one step: what any placement needs at least. */
    public long livePeakBytes() {
        return liveAtPeak().stream().mapToLong(Buffer::bytes).sum();
    }

    /** The buffers live at the busiest step (for reports and for deciding what to recompute). */
    public List<Buffer> liveAtPeak() {
        List<Buffer> busiest = List.of();
        long peak = -1;
        for (int s = 0; s < steps; s++) {
            int at = s;
            List<Buffer> live = placed.stream().filter(b -> liveAt(b, at)).toList();
            long bytes = live.stream().mapToLong(Buffer::bytes).sum();
            if (bytes > peak) {
                peak = bytes;
                busiest = live;
            }
        }
        return busiest;
    }

    /** Live at {@code step}; an op writing in place holds one buffer, not two, at its step. */
    private static boolean liveAt(Buffer b, int step) {
        return b.def <= step && step <= b.lastUse && !(b.reuses != null && b.def == step);
    }

    /** Bytes handed out as graph outputs. */
    public long escapingBytes() {
        return all.stream().filter(b -> b.escapes).mapToLong(b -> b.bytes).sum();
    }

    /**
     * The run's allocations in execution order as an eager runtime would make them, for the
     * allocator simulator: each intermediate allocated at the step that writes it and freed after
     * the step that last reads it; graph outputs allocated and left live.
     */
    public AllocationLog allocationLog() {
        AllocationLog.Recorder r = new AllocationLog.Recorder();
        java.util.Map<Buffer, Long> ids = new java.util.IdentityHashMap<>();
        for (int step = 0; step < steps; step++) {
            for (Buffer b : all) if (b.def == step) ids.put(b, r.alloc(b.bytes, tag(b)));
            for (Buffer b : all) if (!b.escapes && b.lastUse == step) r.free(ids.get(b));
        }
        return r.toLog();
    }

    private static String tag(Buffer b) {
        return b.value.dtype().name().toLowerCase(Locale.ROOT) + java.util.Arrays.toString(b.value.shape()).replace(" ", "") + ":"
                + b.value.producer().op().name();
    }

    /** Checks that no two buffers live at the same time overlap in their arena (tests call it). */
    public void verify() {
        for (Buffer a : placed) {
            for (Buffer b : placed) {
                if (a == b || a.value.dtype() != b.value.dtype()) continue;
                // Sharing a place is fine when one is written by the step that last reads the other (in place).
                boolean handOver = a.offset == b.offset && a.bytes == b.bytes && (a.def == b.lastUse || b.def == a.lastUse);
                boolean timeOverlap = a.def <= b.lastUse && b.def <= a.lastUse && !handOver;
                boolean spaceOverlap = a.offset < b.offset + b.bytes && b.offset < a.offset + a.bytes;
                if (timeOverlap && spaceOverlap) {
                    throw new IllegalStateException("memory plan: " + a.value + " [" + a.def + ", " + a.lastUse + "] at " + a.offset + " and "
                            + b.value + " [" + b.def + ", " + b.lastUse + "] at " + b.offset + " overlap");
                }
            }
        }
    }

    public String summary() {
        return String.format(Locale.ROOT, "%d intermediates: planned %s, naive %s, live peak %s (planned is %.0f%% below naive); outputs %s",
                placed.size(), mib(plannedBytes()), mib(naiveBytes()), mib(livePeakBytes()),
                naiveBytes() == 0 ? 0.0 : 100.0 * (1 - (double) plannedBytes() / naiveBytes()), mib(escapingBytes()));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }
}
