package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.sinter.autotune.lower.Lowering;
import org.sinter.autotune.model.CostModel;
import org.sinter.autotune.model.LoopFeatures;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.ConfigSpace;
import org.sinter.autotune.space.Template;

/**
 * What an explorer sees: the template and its space, the configurations already measured (never
 * proposed again) with their throughput, the cost model, and the random source. Features of a
 * configuration are computed by lowering it (no compilation) and cached; a configuration the
 * template rejects has none and scores lowest.
 */
public final class SearchState {
    private final Template template;
    private final Set<Config> visited = new HashSet<>();
    private final Map<Config, Double> measured = new HashMap<>();
    private final Map<Config, float[]> features = new HashMap<>();
    private final Random random;
    private CostModel model;

    public SearchState(Template template, long seed) {
        this.template = template;
        this.random = new Random(seed);
    }

    public Template template() { return template; }

    public ConfigSpace space() { return template.space(); }

    public Random random() { return random; }

    public CostModel model() { return model; }

    public void setModel(CostModel m) { model = m; }

    public boolean visited(Config c) { return visited.contains(c); }

    public int visitedCount() { return visited.size(); }

    public void record(Config c, double gflops) {
        visited.add(c);
        measured.put(c, gflops);
    }

    public Map<Config, Double> measured() { return measured; }

    /** The features of {@code c}, or null when the template rejects it. */
    public float[] features(Config c) {
        if (features.containsKey(c)) return features.get(c);
        float[] f;
        try {
            f = LoopFeatures.of(Lowering.lower(template.apply(c)));
        } catch (IllegalArgumentException e) {
            f = null;
        }
        features.put(c, f);
        return f;
    }

    /** The model's score of each configuration (−∞ for rejected ones); null without a trained model. */
    public double[] predict(List<Config> configs) {
        if (model == null || !model.trained()) return null;
        List<float[]> fs = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            float[] f = features(configs.get(i));
            if (f != null) {
                fs.add(f);
                at.add(i);
            }
        }
        double[] out = new double[configs.size()];
        java.util.Arrays.fill(out, Double.NEGATIVE_INFINITY);
        double[] p = model.predict(fs);
        for (int k = 0; k < at.size(); k++) out[at.get(k)] = p[k];
        return out;
    }

    /** A random configuration not yet measured (null when the space is exhausted). */
    public Config randomUnvisited() {
        long size = space().size();
        if (visited.size() >= size) return null;
        for (int tries = 0; tries < 1000; tries++) {
            Config c = space().random(random);
            if (!visited(c)) return c;
        }
        for (long i = 0; i < size; i++) if (!visited(space().get(i))) return space().get(i);
        return null;
    }
}
