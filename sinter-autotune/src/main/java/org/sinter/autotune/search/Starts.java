package org.sinter.autotune.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.sinter.autotune.space.Config;

/** Helpers the model-guided explorers share: starting points, one-knob mutation, the final pick. */
final class Starts {
    private Starts() {}

    /** The best measured configurations (up to half), the rest random. */
    static List<Config> of(int n, SearchState state) {
        List<Config> out = new ArrayList<>();
        state.measured().entrySet().stream().sorted(Map.Entry.<Config, Double>comparingByValue().reversed()).limit(n / 2)
                .forEach(e -> out.add(e.getKey()));
        while (out.size() < n) out.add(state.space().random(state.random()));
        return out;
    }

    static Config mutate(Config c, SearchState state, Random r) {
        var knobs = state.space().knobs();
        int k = r.nextInt(knobs.size());
        int[] ch = c.choices();
        int m = knobs.get(k).values().size();
        if (m > 1) ch[k] = (ch[k] + 1 + r.nextInt(m - 1)) % m;
        return state.space().get(indexOf(ch, state));
    }

    static long indexOf(int[] ch, SearchState state) {
        long idx = 0;
        for (int k = 0; k < ch.length; k++) idx = idx * state.space().knobs().get(k).values().size() + ch[k];
        return idx;
    }

    /** The unmeasured points seen, best first, through the diversity-aware ε-greedy pick. */
    static List<Config> pickFrom(Map<Config, Double> seen, int n, double epsilon, double diversity, SearchState state) {
        List<Map.Entry<Config, Double>> top = new ArrayList<>();
        for (var e : seen.entrySet()) if (state.proposable(e.getKey()) && e.getValue() != Double.NEGATIVE_INFINITY) top.add(e);
        top.sort(Map.Entry.<Config, Double>comparingByValue(Comparator.reverseOrder()));
        top = top.subList(0, Math.min(top.size(), 8 * n));
        List<Config> cands = top.stream().map(Map.Entry::getKey).toList();
        double[] scores = top.stream().mapToDouble(Map.Entry::getValue).toArray();
        return BatchPick.pick(cands, scores, n, epsilon, diversity, state);
    }
}
