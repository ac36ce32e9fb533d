package org.sinter.rl;

/**
 * Something whose exact state can be captured and restored as a vector of longs (doubles by their
 * raw bits), so that a resumed training run continues bit for bit: the classic-control
 * environments (physical state, random stream, whether a reset is due) and {@code TimeLimit}
 * (elapsed steps) implement it.
 */
public interface Snapshottable {
    /** The exact state now. */
    long[] snapshot();

    /** Restores a state {@link #snapshot} returned, on an object of the same kind. */
    void restore(long[] state);

    /** The snapshot of {@code o}, or a clear error when it cannot be captured. */
    static long[] of(Object o, String what) {
        if (o instanceof Snapshottable s) return s.snapshot();
        throw new UnsupportedOperationException(what + ": " + o.getClass().getSimpleName() + " cannot save its state, so the run cannot be resumed");
    }

    /** Restores {@code o} from {@code state}, or fails clearly. */
    static void restore(Object o, long[] state, String what) {
        if (!(o instanceof Snapshottable s)) {
            throw new UnsupportedOperationException(what + ": " + o.getClass().getSimpleName() + " cannot restore its state, so the run cannot be resumed");
        }
        s.restore(state);
    }
}
