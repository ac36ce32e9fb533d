package org.sinter.autotune.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * AutoTVM's cost model: gradient-boosted trees (XGBoost, through its Java API) over
 * {@link LoopFeatures}, trained either as a regression on throughput normalised per workload or
 * with a pairwise rank loss (only the order of candidates matters to the search). With a
 * {@code base} model (transfer learning, AutoTVM's {@code load_history}), the trees learn a
 * correction on top of the base model's predictions ({@code base_margin}), so a new workload is
 * guided by earlier workloads' logs from its first trial. With a half-life, the base margin's
 * weight halves every that many of the new workload's own samples and is dropped under 5%
 * (AutoTVM's {@code _base_model_discount}, half-life 64): the history guides the first batches,
 * the workload's own measurements the later ones.
 */
public final class XgbCostModel implements CostModel {
    public enum Loss { REGRESSION, RANK }

    private final Loss loss;
    private final int rounds;
    private final CostModel base;
    private final long seed;
    private final double baseHalfLife;
    private Booster booster;
    private int samples;

    /** A model whose base margin (if any) keeps its full weight. */
    public XgbCostModel(Loss loss, int rounds, CostModel base, long seed) {
        this(loss, rounds, base, seed, Double.POSITIVE_INFINITY);
    }

    /** {@code baseHalfLife}: the new workload's samples over which the base margin's weight halves (infinite: never). */
    public XgbCostModel(Loss loss, int rounds, CostModel base, long seed, double baseHalfLife) {
        if (!(baseHalfLife > 0)) throw new IllegalArgumentException("cost model: the base margin's half-life must be positive, got " + baseHalfLife);
        this.loss = loss;
        this.rounds = rounds;
        this.base = base;
        this.seed = seed;
        this.baseHalfLife = baseHalfLife;
    }

    /** The weight of the base model's margin after the last fit (0 without a base, or once dropped). */
    public double baseWeight() {
        if (base == null || !base.trained()) return 0;
        double w = Math.pow(2, -samples / baseHalfLife);
        return w < 0.05 ? 0 : w;
    }

    public Loss loss() { return loss; }

    @Override
    public boolean trained() {
        return booster != null || base != null && base.trained();
    }

    @Override
    public void fit(List<float[]> features, List<Double> labels, List<Integer> groups) {
        fit(features, labels, groups, null);
    }

    /**
     * As {@link #fit(List, List, List)}, each group's samples weighted by {@code groupWeights}
     * (indexed by the groups in order of appearance; null: all 1).
     */
    public void fit(List<float[]> features, List<Double> labels, List<Integer> groups, double[] groupWeights) {
        if (features.isEmpty()) return;
        double[] norm = normalise(labels, groups);
        samples = features.size();
        double w = baseWeight();
        try {
            DMatrix d = matrix(features);
            float[] y = new float[norm.length];
            for (int i = 0; i < y.length; i++) y[i] = (float) norm[i];
            d.setLabel(y);
            int[] sizes = groupSizes(groups);
            if (loss == Loss.RANK) d.setGroup(sizes);
            if (groupWeights != null) {
                if (groupWeights.length != sizes.length) {
                    throw new IllegalArgumentException("cost model: " + groupWeights.length + " group weights for " + sizes.length + " groups");
                }
                // A ranking objective weighs whole groups; a regression weighs each sample.
                d.setWeight(loss == Loss.RANK ? toFloat(groupWeights, 1) : perSample(groupWeights, sizes));
            }
            if (w > 0) d.setBaseMargin(toFloat(base.predict(features), w));
            Map<String, Object> params = new HashMap<>();
            params.put("objective", loss == Loss.RANK ? "rank:pairwise" : "reg:squarederror");
            params.put("max_depth", 6);
            params.put("eta", 0.3);
            params.put("gamma", 0.0001);
            params.put("min_child_weight", 1);
            params.put("subsample", 1.0);
            params.put("nthread", 1);
            params.put("seed", (int) seed);
            params.put("verbosity", 0);
            booster = XGBoost.train(d, params, rounds, new HashMap<>(), null, null);
            d.dispose();
        } catch (XGBoostError e) {
            throw new IllegalStateException("cost model: XGBoost training failed on " + features.size() + " samples: " + e.getMessage(), e);
        }
    }

    @Override
    public double[] predict(List<float[]> features) {
        double[] out = new double[features.size()];
        if (features.isEmpty()) return out;
        double w = baseWeight();
        double[] margin = w > 0 ? base.predict(features) : null;
        if (booster == null) return margin != null ? margin : out;
        try {
            DMatrix d = matrix(features);
            if (margin != null) d.setBaseMargin(toFloat(margin, w));
            float[][] p = booster.predict(d);
            for (int i = 0; i < out.length; i++) out[i] = p[i][0];
            d.dispose();
            return out;
        } catch (XGBoostError e) {
            throw new IllegalStateException("cost model: XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    private static DMatrix matrix(List<float[]> features) throws XGBoostError {
        int n = features.size(), m = features.getFirst().length;
        float[] flat = new float[n * m];
        for (int i = 0; i < n; i++) System.arraycopy(features.get(i), 0, flat, i * m, m);
        return new DMatrix(flat, n, m, Float.NaN);
    }

    /** Each label over its group's largest (AutoTVM normalises by the best so far), so workloads of any speed train together. */
    static double[] normalise(List<Double> labels, List<Integer> groups) {
        Map<Integer, Double> max = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) max.merge(groups.get(i), labels.get(i), Math::max);
        double[] out = new double[labels.size()];
        for (int i = 0; i < out.length; i++) {
            double m = max.get(groups.get(i));
            out[i] = m > 0 ? labels.get(i) / m : 0;
        }
        return out;
    }

    private static int[] groupSizes(List<Integer> groups) {
        java.util.ArrayList<Integer> sizes = new java.util.ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            if (i == 0 || !groups.get(i).equals(groups.get(i - 1))) sizes.add(0);
            sizes.set(sizes.size() - 1, sizes.getLast() + 1);
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static float[] perSample(double[] groupWeights, int[] sizes) {
        float[] w = new float[java.util.Arrays.stream(sizes).sum()];
        for (int g = 0, i = 0; g < sizes.length; g++) for (int k = 0; k < sizes[g]; k++) w[i++] = (float) groupWeights[g];
        return w;
    }

    private static float[] toFloat(double[] d, double scale) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) (scale * d[i]);
        return f;
    }
}
