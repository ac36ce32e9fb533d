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
 * Transfer learning (the paper's §4): a rank model trained on the tuning logs of other workloads
 * (each record's configuration rebuilt from its workload key and lowered again for its features),
 * which a new workload's model uses as its base, so the search is guided before the new workload's
 * first measurement. Records of {@code exclude} (the workload being tuned) are left out.
 */
public final class Transfer {
    private Transfer() {}

    public static XgbCostModel baseModel(List<TuningRecord> history, String exclude, int rounds, long seed) {
        Map<String, List<TuningRecord>> byWorkload = new LinkedHashMap<>();
        for (TuningRecord r : history) if (!r.workload().equals(exclude)) byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
        List<float[]> feats = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        List<Integer> groups = new ArrayList<>();
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
            for (TuningRecord r : e.getValue()) {
                if (!r.template().equals(t.name())) continue;
                try {
                    feats.add(LoopFeatures.of(Lowering.lower(t.apply(t.space().of(r.config())))));
                } catch (IllegalArgumentException ex) {
                    continue; // invalid configurations have no loops to learn from
                }
                labels.add(r.ok() ? r.gflops() : 0.0);
                groups.add(group);
            }
            group++;
        }
        XgbCostModel m = new XgbCostModel(XgbCostModel.Loss.RANK, rounds, null, seed);
        if (!feats.isEmpty()) m.fit(feats, labels, groups);
        return m;
    }
}
