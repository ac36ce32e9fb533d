package org.sinter.distributed.ps;

/**
 * How fresh the parameters a worker reads must be (course 6.4). {@code staleness} bounds how many
 * clocks (pushes) the fastest worker may run ahead of the slowest.
 */
public record Consistency(Kind kind, int staleness) {
    public enum Kind { SYNC, SSP, ASYNC }

    public Consistency {
        if (kind == Kind.SSP && staleness < 0) throw new IllegalArgumentException("SSP staleness must be >= 0, got " + staleness);
    }

    /** Bulk-synchronous: every worker's gradient of clock c is averaged before anyone reads clock c + 1. */
    public static Consistency sync() { return new Consistency(Kind.SYNC, 0); }

    /** Stale-synchronous parallel (Ho et al. 2013): a worker at clock c reads once every worker reached c − s. */
    public static Consistency ssp(int staleness) { return new Consistency(Kind.SSP, staleness); }

    /** Asynchronous (Hogwild-style PS, as in DistBelief's Downpour SGD): no waiting at all. */
    public static Consistency async() { return new Consistency(Kind.ASYNC, Integer.MAX_VALUE); }
}
