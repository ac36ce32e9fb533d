package org.sinter.distributed.collectives;

/**
 * A per-call timeline of the pipelined ring ({@code -Dsinter.ring.trace=true}; off by default and
 * free when off): when the call started, when each segment from the left neighbour arrived, when
 * and for how long the rank waited for a forwarding slot, and when the call ended, as one line on
 * standard error per all-reduce. The times are {@link System#nanoTime} values, which every process
 * of one machine shares, so {@code bench/distributed/ring_trace.py} can line the ranks up and say
 * where a link idled (the analysis behind docs/distributed.md, "Where the link idles"). Printed with one call, so the
 * lines of ranks that share a process do not interleave.
 */
final class RingTrace {
    private final int rank;
    private final long start = System.nanoTime();
    private final StringBuilder arrivals = new StringBuilder(), waits = new StringBuilder();

    private RingTrace(int rank) {
        this.rank = rank;
    }

    /** A trace for this call, or null when tracing is off (read at each call, as the ring's other settings). */
    static RingTrace begin(int rank) {
        return Boolean.getBoolean("sinter.ring.trace") ? new RingTrace(rank) : null;
    }

    /** A segment from the left neighbour has arrived. */
    void arrived() {
        arrivals.append(' ').append(System.nanoTime() - start);
    }

    /** The rank waited from {@code since} until now for a slot's previous send to finish. */
    void waitedForSlot(long since) {
        waits.append(' ').append(since - start).append('+').append(System.nanoTime() - since);
    }

    void end() {
        System.err.println("sinter-ring-trace rank " + rank + " start " + start + " end " + (System.nanoTime() - start)
                + " arrivals" + arrivals + " slot-waits" + waits);
    }
}
