package org.sinter.autotune.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.lower.Lowering;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Workloads;

/**
 * Transfer learning (the paper's §4): a model trained on the tuning logs of other workloads (each
 * record's configuration rebuilt from its workload key and lowered again for its features), which
 * a new workload's model uses as its base, so the search is guided before the new workload's
 * first measurement. Records of the workload being tuned are left out.
 */
public final class Transfer {
    /**
     * How the base model learns: its loss (rank: one group per workload; regression: throughput
     * over each workload's best), its boosting rounds, whether a record's label is its fastest
     * repeat (on a shared machine other jobs only add time) or its median, and whether it sees
     * only the {@linkplain InvariantFeatures schedule columns} of the features (every column when
     * the history has no workload of the target's template to compare them with).
     */
    public record Options(XgbCostModel.Loss loss, int rounds, boolean fastestRepeat, boolean invariantOnly) {
        /**
         * Rank loss, 30 rounds, fastest repeats, every column. Schedule columns only helped with a
         * small history and cost ranking quality with a larger one (docs/autotune.md, "Transfer").
         */
        public static Options defaults() {
            return new Options(XgbCostModel.Loss.RANK, 30, true, false);
        }
    }

    /** The new workload's samples over which the base model's weight halves (AutoTVM's discount: 2^(-n/64)). */
    public static final double HALF_LIFE = 64;

    private Transfer() {}

    /**
     * The alternative to a base margin: one model trained on the history and the new workload's
     * own measurements together (one rank group per workload), the new workload's group weighted
     * {@code targetWeight} against each other workload's 1; before the first measurement it is
     * the history's model alone.
     */
    public static CostModel jointModel(List<TuningRecord> history, String target, Options o, double targetWeight, long seed) {
        return new JointTransferModel(samples(history, target, o, seed), o, targetWeight, seed);
    }

    /**
     * The cost model for tuning {@code target} (a workload key): rank loss over its own
     * measurements, on a base model from the other workloads in {@code history} (default options)
     * whose weight fades with {@link #HALF_LIFE}; no base when the history has nothing to transfer.
     */
    public static XgbCostModel model(List<TuningRecord> history, String target, long seed) {
        CostModel base = baseModel(history, target, Options.defaults(), seed);
        return new XgbCostModel(XgbCostModel.Loss.RANK, 30, base.trained() ? base : null, seed, HALF_LIFE);
    }

    /**
     * The base model for {@code target} (a workload key) from {@code history}; untrained when the
     * history has no usable record of another workload.
     */
    public static CostModel baseModel(List<TuningRecord> history, String target, Options o, long seed) {
        Samples h = samples(history, target, o, seed);
        XgbCostModel m = new XgbCostModel(o.loss(), o.rounds(), null, seed);
        if (!h.features().isEmpty()) m.fit(h.features(), h.labels(), h.groups());
        return h.drop() == null ? m : new OnColumns(m, h.drop());
    }

    /**
     * The other workloads' records as training samples (features, labels, one group per
     * workload), on the schedule columns only if {@code o} says so ({@code drop}: the columns
     * dropped, null when all are kept).
     */
    record Samples(List<float[]> features, List<Double> labels, List<Integer> groups, int groupCount, boolean[] drop) {}

    static Samples samples(List<TuningRecord> history, String target, Options o, long seed) {
        Map<String, List<TuningRecord>> byWorkload = new LinkedHashMap<>();
        for (TuningRecord r : history) if (!r.workload().equals(target)) byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
        List<float[]> feats = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        int group = 0;
        for (var e : byWorkload.entrySet()) {
            ComputeDecl d;
            Template t;
            try {
                d = Workloads.parse(e.getKey());
                t = Templates.of(d);
            } catch (IllegalArgumentException ex) {
                continue; // an operator with no template here: nothing to transfer
            }
            templates.add(t);
            int before = feats.size();
            for (TuningRecord r : e.getValue()) {
                if (!r.trial()) continue;
                try {
                    Template rt = r.template().equals(t.name()) ? t : Templates.named(r.template(), d);
                    feats.add(LoopFeatures.of(Lowering.lower(rt.apply(rt.space().of(r.config())))));
                } catch (IllegalArgumentException ex) {
                    continue; // invalid configurations (and templates unknown here) have no loops to learn from
                }
                labels.add(!r.ok() ? 0.0 : o.fastestRepeat() ? d.flops() / r.costs().stream().mapToDouble(Double::doubleValue).min().orElseThrow() / 1e9 : r.gflops());
                groups.add(group);
            }
            if (feats.size() > before) group++;
        }
        boolean[] drop = o.invariantOnly() ? sizeColumns(target, templates, seed) : null;
        if (drop != null) feats.replaceAll(f -> InvariantFeatures.keep(f, drop));
        return new Samples(feats, labels, groups, group, drop);
    }

    private static boolean[] sizeColumns(String target, List<Template> others, long seed) {
        Template t;
        try {
            t = Templates.of(Workloads.parse(target));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("transfer: invariant features need the target's template, and " + target + " has none: " + ex.getMessage(), ex);
        }
        return InvariantFeatures.sizeColumns(t, others, seed);
    }

    /** A model that sees only the columns {@code drop} does not mark. */
    private record OnColumns(XgbCostModel model, boolean[] drop) implements CostModel {
        @Override
        public void fit(List<float[]> features, List<Double> labels, List<Integer> groups) {
            model.fit(features.stream().map(f -> InvariantFeatures.keep(f, drop)).toList(), labels, groups);
        }

        @Override
        public double[] predict(List<float[]> features) {
            return model.predict(features.stream().map(f -> InvariantFeatures.keep(f, drop)).toList());
        }

        @Override
        public boolean trained() { return model.trained(); }
    }
}
