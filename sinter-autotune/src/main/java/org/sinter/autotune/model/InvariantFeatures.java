package org.sinter.autotune.model;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sinter.autotune.lower.Lowering;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;

/**
 * Which {@link LoopFeatures} columns describe the schedule rather than the workload's size, found
 * by experiment: the same knob values lowered for two workloads of one template give the same
 * value in a schedule column (a tile's extent, an annotation, a packed panel's stride, the
 * touched-memory curve) and different ones in a size column (an outer loop's extent, a row
 * stride, the FLOPs). A transfer model trained on size columns learns thresholds that sit
 * elsewhere for a new shape; over schedule columns only, what it learned carries over (the role
 * of AutoTVM's relative "curve" features).
 */
public final class InvariantFeatures {
    private static final int SAMPLES = 200;

    private InvariantFeatures() {}

    /**
     * The columns to drop (true where a column's value changed between {@code target} and any of
     * {@code others} for the same knob values), from up to 200 random configurations valid in
     * both; null when no configuration could be compared (different templates or knob values).
     */
    public static boolean[] sizeColumns(Template target, List<Template> others, long seed) {
        boolean[] drop = new boolean[LoopFeatures.SIZE];
        boolean compared = false;
        Random r = new Random(seed);
        for (Template o : others) {
            if (!o.name().equals(target.name())) continue;
            for (int i = 0; i < SAMPLES; i++) {
                Config c = target.space().random(r);
                float[] a = features(target, c.values()), b = features(o, c.values());
                if (a == null || b == null) continue;
                compared = true;
                for (int k = 0; k < a.length; k++) if (a[k] != b[k]) drop[k] = true;
            }
        }
        return compared ? drop : null;
    }

    /** A copy of {@code f} with the dropped columns missing (NaN: XGBoost's missing value). */
    public static float[] keep(float[] f, boolean[] drop) {
        float[] out = f.clone();
        for (int k = 0; k < out.length; k++) if (drop[k]) out[k] = Float.NaN;
        return out;
    }

    private static float[] features(Template t, Map<String, Integer> values) {
        try {
            return LoopFeatures.of(Lowering.lower(t.apply(t.space().of(values))));
        } catch (IllegalArgumentException e) {
            return null; // not a value of this space's knobs, or a configuration the template rejects
        }
    }
}
