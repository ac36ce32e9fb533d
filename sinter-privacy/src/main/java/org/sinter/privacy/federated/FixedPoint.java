package org.sinter.privacy.federated;

/**
 * The fixed-point ring in which every federated aggregate is summed, masked or not: integers mod
 * 2^32 (Java {@code int} arithmetic, which wraps). A client's weighted update {@code w·Δ} is
 * rounded to {@code round(w·Δ·scale)} and clamped to ±{@code (2^31 − 1) / maxSummands}, so a sum of
 * up to {@code maxSummands} vectors never wraps and decodes exactly as a signed integer. Because
 * integer addition is associative, the sum is the same whatever the order of arrival, and adding
 * and removing pseudo-random masks mod 2^32 is exact: this is what makes FedAvg with secure
 * aggregation bit-identical to plain FedAvg, which therefore aggregates in the same ring.
 *
 * <p>The last coordinate of an encoded vector carries the client's weight {@code w}, so the
 * server learns only the sum of weights, not each client's.
 */
public record FixedPoint(double scale, int maxSummands) {
    /** 2^20: a resolution of about 1e-6 per weighted coordinate; with 10 summands |w·Δ| ≤ 204. */
    public static final double DEFAULT_SCALE = 1 << 20;

    public FixedPoint {
        if (!(scale > 0) || Double.isInfinite(scale)) throw new IllegalArgumentException("FixedPoint: scale must be positive, got " + scale);
        if (maxSummands < 1) throw new IllegalArgumentException("FixedPoint: maxSummands must be >= 1, got " + maxSummands);
    }

    /** The largest absolute value one summand may take, in ring units. */
    public int bound() {
        return Integer.MAX_VALUE / maxSummands;
    }

    /** The largest |w·Δ| representable without clamping. */
    public double range() {
        return bound() / scale;
    }

    /** {@code [round(weight·delta[i]·scale) clamped …, round(weight·scale)]}, length {@code delta.length + 1}. */
    public int[] encode(float[] delta, double weight) {
        if (!(weight >= 0) || weight * scale > bound()) {
            throw new IllegalArgumentException("FixedPoint.encode: weight " + weight + " outside [0, " + range() + "]");
        }
        int[] out = new int[delta.length + 1];
        for (int i = 0; i < delta.length; i++) out[i] = quantize(weight * delta[i]);
        out[delta.length] = quantize(weight);
        return out;
    }

    private int quantize(double v) {
        if (Double.isNaN(v)) throw new IllegalArgumentException("FixedPoint.encode: NaN in the update");
        double r = Math.rint(v * scale);
        int b = bound();
        return r > b ? b : r < -b ? -b : (int) r;
    }

    /** Adds {@code y} into {@code acc} mod 2^32. */
    public static void addInto(int[] acc, int[] y) {
        if (acc.length != y.length) throw new IllegalArgumentException("FixedPoint.addInto: lengths " + acc.length + " and " + y.length);
        for (int i = 0; i < acc.length; i++) acc[i] += y[i];
    }

    /**
     * The weighted mean update {@code Σ w·Δ / Σ w} from a sum of encoded vectors; throws if the
     * weights sum to zero (no client's update arrived).
     */
    public float[] decodeMean(int[] sum) {
        int d = sum.length - 1;
        double weight = sum[d] / scale;
        if (!(weight > 0)) throw new IllegalStateException("FixedPoint.decodeMean: the weights sum to " + weight);
        float[] out = new float[d];
        for (int i = 0; i < d; i++) out[i] = (float) (sum[i] / scale / weight);
        return out;
    }
}
