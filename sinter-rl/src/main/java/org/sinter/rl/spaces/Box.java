package org.sinter.rl.spaces;

import java.util.Arrays;
import org.sinter.Generator;

/**
 * A box {@code low ≤ x ≤ high} in ℝⁿ (Gymnasium's {@code Box} of rank 1). Bounds may be infinite;
 * {@link #sample} then draws as Gymnasium does: normal on an unbounded side, shifted exponential on
 * a half-bounded one, uniform on a bounded one.
 */
public record Box(double[] low, double[] high) implements Space<double[]> {
    public Box {
        if (low.length != high.length) {
            throw new IllegalArgumentException("Box: low has " + low.length + " entries but high has " + high.length);
        }
        for (int i = 0; i < low.length; i++) {
            if (!(low[i] <= high[i])) throw new IllegalArgumentException("Box: low[" + i + "] = " + low[i] + " > high[" + i + "] = " + high[i]);
        }
        low = low.clone();
        high = high.clone();
    }

    /** The box {@code [low, high]ⁿ}. */
    public static Box of(double low, double high, int n) {
        double[] lo = new double[n], hi = new double[n];
        Arrays.fill(lo, low);
        Arrays.fill(hi, high);
        return new Box(lo, hi);
    }

    public int size() {
        return low.length;
    }

    @Override
    public double[] low() {
        return low.clone();
    }

    @Override
    public double[] high() {
        return high.clone();
    }

    @Override
    public double[] sample(Generator generator) {
        var r = generator.random();
        double[] x = new double[low.length];
        for (int i = 0; i < x.length; i++) {
            boolean lowFinite = Double.isFinite(low[i]), highFinite = Double.isFinite(high[i]);
            if (lowFinite && highFinite) x[i] = low[i] + (high[i] - low[i]) * r.nextDouble();
            else if (lowFinite) x[i] = low[i] + r.nextExponential();
            else if (highFinite) x[i] = high[i] - r.nextExponential();
            else x[i] = r.nextGaussian();
        }
        return x;
    }

    @Override
    public boolean contains(double[] x) {
        if (x == null || x.length != low.length) return false;
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] >= low[i] && x[i] <= high[i])) return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(low, b.low) && Arrays.equals(high, b.high);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(low) + Arrays.hashCode(high);
    }

    @Override
    public String toString() {
        return "Box(" + Arrays.toString(low) + ", " + Arrays.toString(high) + ")";
    }
}
