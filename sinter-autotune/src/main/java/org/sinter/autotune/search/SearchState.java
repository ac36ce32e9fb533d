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
 * template rejects has none and scores lowest. A replay over a measured sample of the space
 * {@linkplain #restrictTo restricts} the configurations explorers may propose to that sample.
 */
public final class SearchState {
    private final Template template;
    private final Set<Config> visited = new HashSet<>();
    private final Map<Config, Double> measured = new HashMap<>();
    private final Map<Config, float[]> features = new HashMap<>();
    private final Random random;
    private CostModel model;
    private Set<Config> candidates;
    private List<Config> candidateList;

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

    /**
     * Lets explorers propose only {@code configs} (a measured sample of the space, in a replay);
     * model-guided walks still move through the whole space, but what they pick comes from these.
     */
    public void restrictTo(Set<Config> configs) {
        candidates = Set.copyOf(configs);
        // In index order: a set's iteration order may change from one JVM to the next, and the seed alone must decide a run.
        candidateList = configs.stream().sorted(java.util.Comparator.comparingLong(Config::index)).toList();
    }

    /** Whether an explorer may propose {@code c}: not measured yet, and in the restriction if there is one. */
    public boolean proposable(Config c) {
        return !visited.contains(c) && (candidates == null || candidates.contains(c));
    }

    /** How many configurations are still proposable. */
    public long remaining() {
        if (candidates == null) return space().size() - visited.size();
        long n = 0;
        for (Config c : visited) if (candidates.contains(c)) n++;
        return candidates.size() - n;
    }

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

    /** A uniformly random proposable configuration (null when none is left). */
    public Config randomUnvisited() {
        if (remaining() <= 0) return null;
        long size = candidates == null ? space().size() : candidateList.size();
        for (int tries = 0; tries < 1000; tries++) {
            Config c = candidates == null ? space().random(random) : candidateList.get(random.nextInt(candidateList.size()));
            if (proposable(c)) return c;
        }
        for (long i = 0; i < size; i++) {
            Config c = candidates == null ? space().get(i) : candidateList.get((int) i);
            if (proposable(c)) return c;
        }
        return null;
    }
}
