package org.sinter.autotune.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Transfer by training together ({@link Transfer#jointModel}): every fit trains one model on the
 * other workloads' samples and the new workload's, the new workload's group weighted against the
 * history's, so its own measurements overrule the history where they disagree without
 * discarding it.
 */
final class JointTransferModel implements CostModel {
    private final Transfer.Samples history;
    private final XgbCostModel model;
    private final double targetWeight;

    JointTransferModel(Transfer.Samples history, Transfer.Options o, double targetWeight, long seed) {
        if (!(targetWeight > 0)) throw new IllegalArgumentException("transfer: the new workload's weight must be positive, got " + targetWeight);
        this.history = history;
        this.targetWeight = targetWeight;
        this.model = new XgbCostModel(o.loss(), o.rounds(), null, seed);
        if (!history.features().isEmpty()) model.fit(history.features(), history.labels(), history.groups());
    }

    @Override
    public void fit(List<float[]> features, List<Double> labels, List<Integer> groups) {
        List<float[]> f = new ArrayList<>(history.features());
        f.addAll(view(features));
        List<Double> l = new ArrayList<>(history.labels());
        l.addAll(labels);
        List<Integer> g = new ArrayList<>(history.groups());
        for (int x : groups) g.add(history.groupCount() + x);
        int own = (int) groups.stream().distinct().count();
        double[] w = new double[history.groupCount() + own];
        Arrays.fill(w, 1);
        Arrays.fill(w, history.groupCount(), w.length, targetWeight);
        model.fit(f, l, g, w);
    }

    @Override
    public double[] predict(List<float[]> features) {
        return model.predict(view(features));
    }

    @Override
    public boolean trained() { return model.trained(); }

    private List<float[]> view(List<float[]> features) {
        return history.drop() == null ? features : features.stream().map(x -> InvariantFeatures.keep(x, history.drop())).toList();
    }
}
