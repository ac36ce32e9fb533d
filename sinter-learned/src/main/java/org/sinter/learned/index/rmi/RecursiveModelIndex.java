package org.sinter.learned.index.rmi;

import org.sinter.learned.index.Search;
import org.sinter.learned.index.SortedLongIndex;

/**
 * Kraska et al.'s recursive model index, two stages: a root model (linear, cubic or a small neural
 * network) estimates a key's CDF and so picks one of {@code leaves} linear models, which predicts
 * the position; each leaf records its largest error over the keys routed to it, so the last mile is
 * a binary search over {@code [pred - err, pred + err]} (or an exponential search from the
 * prediction). Queries outside the key range are answered before any model runs; queries absent
 * from the keys are corrected by {@link Search#lowerBoundNear}, so answers are always exact.
 *
 * <p>Leaves are laid out as one array of (slope, intercept, error) triples: a lookup touches the
 * root's few parameters (cached), one leaf (one cache miss) and the keys inside the error window.
 */
public final class RecursiveModelIndex implements SortedLongIndex {
    private final long[] keys;
    private final int n;
    private final RmiConfig config;
    private final long min, max;
    private final double invRange;
    private final RootModel root;
    private final int leaves;
    private final double[] params; // slope, intercept, error per leaf
    private final double meanLog2Error;
    private final int maxError;

    /** Rows used to fit a polynomial root, and to train a neural one (sampled evenly over the keys). */
    static final int POLY_SAMPLE = 1 << 20, NN_SAMPLE = 1 << 12;

    public RecursiveModelIndex(long[] keys, RmiConfig config) {
        Search.requireSorted(keys, "RecursiveModelIndex");
        this.keys = keys;
        this.n = keys.length;
        this.config = config;
        this.leaves = config.leaves();
        this.min = n == 0 ? 0 : keys[0];
        this.max = n == 0 ? 0 : keys[n - 1];
        double range = Search.unsignedToDouble(max - min);
        this.invRange = range > 0 ? 1.0 / range : 0;
        this.root = n == 0 ? new PolynomialModel(new double[] {0, 0}) : trainRoot();
        this.params = new double[3 * leaves];
        double[] stats = n == 0 ? new double[] {0, 0} : trainLeaves();
        this.meanLog2Error = stats[0];
        this.maxError = (int) stats[1];
    }

    private double normalise(long q) {
        return Search.unsignedToDouble(q - min) * invRange;
    }

    private RootModel trainRoot() {
        int sample = config.root() == RmiConfig.RootType.NEURAL ? NN_SAMPLE : POLY_SAMPLE;
        int m = Math.min(n, sample);
        double[] x = new double[m], y = new double[m];
        for (int s = 0; s < m; s++) {
            int i = (int) ((long) s * n / m);
            int first = Search.exponentialSearch(keys, n, keys[i], i); // duplicates: the CDF at their first position (a short walk back)
            x[s] = normalise(keys[i]);
            y[s] = (double) first / n;
        }
        return switch (config.root()) {
            case LINEAR -> PolynomialModel.fit(x, y, 1);
            case CUBIC -> PolynomialModel.fit(x, y, 3);
            case NEURAL -> NeuralModel.train(x, y, config.nnHidden(), config.nnSteps(), 1e-2, 0);
        };
    }

    private int leafOf(double x) {
        double p = root.predict(x) * leaves;
        return (int) Math.max(0, Math.min(leaves - 1, p)); // NaN casts to 0
    }

    private static long position(double slope, double intercept, double x) {
        return (long) Math.floor(intercept + slope * x + 0.5);
    }

    /** Least squares per leaf over the keys the root routes to it, then each leaf's largest error. Returns {mean log2(err+1), max err}. */
    private double[] trainLeaves() {
        int[] count = new int[leaves];
        double[] x0 = new double[leaves], y0 = new double[leaves];
        double[] sx = new double[leaves], sy = new double[leaves], sxx = new double[leaves], sxy = new double[leaves];
        int first = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && keys[i] != keys[i - 1]) first = i;
            double x = normalise(keys[i]);
            int j = leafOf(x);
            if (count[j]++ == 0) { x0[j] = x; y0[j] = first; }
            double dx = x - x0[j], dy = first - y0[j];
            sx[j] += dx; sy[j] += dy; sxx[j] += dx * dx; sxy[j] += dx * dy;
        }
        double next = n; // first position of the next non-empty leaf: where an empty leaf's queries land
        for (int j = leaves - 1; j >= 0; j--) {
            double slope = 0, intercept = next;
            if (count[j] > 0) {
                double c = count[j], den = c * sxx[j] - sx[j] * sx[j];
                slope = den > 0 ? (c * sxy[j] - sx[j] * sy[j]) / den : 0;
                double a = (sy[j] - slope * sx[j]) / c;
                intercept = y0[j] + a - slope * x0[j];
                next = y0[j];
            }
            params[3 * j] = slope;
            params[3 * j + 1] = intercept;
        }
        long[] err = new long[leaves];
        first = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && keys[i] != keys[i - 1]) first = i;
            double x = normalise(keys[i]);
            int j = leafOf(x);
            long e = Math.abs(position(params[3 * j], params[3 * j + 1], x) - first);
            if (e > err[j]) err[j] = e;
        }
        double log2Sum = 0;
        long maxErr = 0;
        for (int j = 0; j < leaves; j++) {
            params[3 * j + 2] = Math.min(err[j], Integer.MAX_VALUE);
            log2Sum += count[j] * (Math.log(err[j] + 1.0) / Math.log(2));
            maxErr = Math.max(maxErr, err[j]);
        }
        return new double[] {log2Sum / n, Math.min(maxErr, Integer.MAX_VALUE)};
    }

    @Override
    public int lowerBound(long q) {
        if (n == 0 || q <= min) return 0;
        if (q > max) return n;
        double x = normalise(q);
        int j = leafOf(x);
        int b = 3 * j;
        long pred = position(params[b], params[b + 1], x);
        if (config.lastMile() == RmiConfig.LastMile.EXPONENTIAL) return Search.exponentialSearch(keys, n, q, pred);
        int err = (int) params[b + 2];
        return Search.lowerBoundNear(keys, n, q, pred, err, err);
    }

    @Override
    public String name() {
        String l = Integer.bitCount(leaves) == 1 ? "2^" + Integer.numberOfTrailingZeros(leaves) : String.valueOf(leaves);
        return "RMI " + root.describe() + " " + l + (config.lastMile() == RmiConfig.LastMile.EXPONENTIAL ? " exp" : "");
    }

    @Override public int size() { return n; }
    @Override public long key(int position) { return keys[position]; }
    @Override public long indexBytes() { return 8L * params.length + root.bytes() + 32; }

    public RmiConfig config() { return config; }

    /** Mean over keys of log2(leaf error + 1): the expected number of last-mile halvings. */
    public double meanLog2Error() { return meanLog2Error; }

    /** Largest leaf error bound. */
    public int maxError() { return maxError; }

    public RootModel root() { return root; }
}
