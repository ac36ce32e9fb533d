package org.sinter.rl.dqn;

/**
 * A complete binary tree over {@code capacity} non-negative priorities whose inner nodes hold the
 * sum (and, alongside, the minimum) of their subtree (Schaul et al. 2016, appendix B.2.1): setting
 * a priority, the total, the minimum, and finding the leaf where a prefix sum falls all take
 * O(log capacity). The minimum serves the importance weights' normalization.
 */
public final class SumTree {
    private final int capacity, leaves;
    private final double[] sum, min;

    public SumTree(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("SumTree: capacity must be positive, got " + capacity);
        this.capacity = capacity;
        int l = 1;
        while (l < capacity) l <<= 1;
        leaves = l;
        sum = new double[2 * l];
        min = new double[2 * l];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
    }

    /** Every node's sum and minimum, bit for bit. */
    public void saveState(org.sinter.rl.StateCodec.Writer w) {
        w.putDoubles(sum).putDoubles(min);
    }

    public void restoreState(org.sinter.rl.StateCodec.Reader r) {
        double[] s = r.getDoubles(), m = r.getDoubles();
        if (s.length != sum.length || m.length != min.length) {
            throw new IllegalArgumentException("SumTree: a saved tree of " + s.length + " nodes does not fit one of " + sum.length);
        }
        System.arraycopy(s, 0, sum, 0, s.length);
        System.arraycopy(m, 0, min, 0, m.length);
    }

    public int capacity() {
        return capacity;
    }

    public void set(int index, double priority) {
        if (index < 0 || index >= capacity) throw new IndexOutOfBoundsException("SumTree: index " + index + " outside [0, " + capacity + ")");
        if (!(priority >= 0) || Double.isInfinite(priority)) throw new IllegalArgumentException("SumTree: priority must be finite and non-negative, got " + priority);
        int node = index + leaves;
        sum[node] = priority;
        min[node] = priority;
        for (node >>= 1; node >= 1; node >>= 1) {
            sum[node] = sum[2 * node] + sum[2 * node + 1];
            min[node] = Math.min(min[2 * node], min[2 * node + 1]);
        }
    }

    public double get(int index) {
        return sum[index + leaves];
    }

    public double total() {
        return sum[1];
    }

    /** The smallest priority set so far (+∞ before any). */
    public double min() {
        return min[1];
    }

    /**
     * The leaf i with prefix(i) ≤ value < prefix(i) + priority(i), where prefix(i) sums the
     * priorities before i; a value at or past the total lands on the last leaf with a positive priority.
     */
    public int find(double value) {
        if (!(total() > 0)) throw new IllegalStateException("SumTree: all priorities are zero");
        int node = 1;
        while (node < leaves) {
            int left = 2 * node;
            if (value < sum[left] || sum[left + 1] == 0) {
                node = left;
            } else {
                value -= sum[left];
                node = left + 1;
            }
        }
        return node - leaves;
    }
}
