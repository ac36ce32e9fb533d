package org.sinter.compress.prune;

/**
 * How much to prune, as {@code torch.nn.utils.prune} takes it: a fraction in [0, 1] of the
 * candidates (rounded half to even, as Python's {@code round}), or an absolute count.
 */
public record PruneAmount(double fraction, int count, boolean isCount) {
    public PruneAmount {
        if (isCount && count < 0) throw new IllegalArgumentException("prune: amount must be a non-negative count, got " + count);
        if (!isCount && !(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("prune: amount=" + fraction + " should be a float in the range [0, 1] or a non-negative integer");
        }
    }

    public static PruneAmount fraction(double fraction) {
        return new PruneAmount(fraction, 0, false);
    }

    public static PruneAmount count(int count) {
        return new PruneAmount(0, count, true);
    }

    /** How many of {@code size} candidates to prune; a count larger than {@code size} is an error. */
    public int toPrune(int size, String what) {
        if (isCount) {
            if (count > size) {
                throw new IllegalArgumentException("prune: amount=" + count + " should be smaller than the number of " + what + " to prune=" + size);
            }
            return count;
        }
        return (int) Math.rint(fraction * size);
    }

    @Override
    public String toString() {
        return isCount ? Integer.toString(count) : Double.toString(fraction);
    }
}
