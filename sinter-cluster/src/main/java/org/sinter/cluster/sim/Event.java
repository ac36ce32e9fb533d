package org.sinter.cluster.sim;

/**
 * Something that happens at a simulated instant. Simultaneous events are ordered completions first
 * (their GPUs are free for the arrivals of the same instant), then arrivals, then wake-ups, then by
 * creation: the whole order is fixed, so a run is deterministic.
 */
record Event(double time, Kind kind, long seq, JobState job, long epoch) implements Comparable<Event> {
    enum Kind { COMPLETE, ARRIVE, WAKE }

    @Override
    public int compareTo(Event o) {
        int c = Double.compare(time, o.time);
        if (c != 0) return c;
        c = kind.compareTo(o.kind);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
