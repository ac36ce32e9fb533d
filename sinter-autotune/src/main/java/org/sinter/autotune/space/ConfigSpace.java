package org.sinter.autotune.space;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The knobs of a schedule template and their candidate values (AutoTVM's {@code ConfigSpace}):
 * a configuration is one choice per knob, and every configuration has an index in
 * {@code [0, size())} (mixed radix, the first knob slowest), which grid search walks.
 */
public final class ConfigSpace {
    private final List<Knob> knobs;

    public ConfigSpace(List<Knob> knobs) {
        this.knobs = List.copyOf(knobs);
    }

    public List<Knob> knobs() { return knobs; }

    public long size() {
        long n = 1;
        for (Knob k : knobs) n *= k.values().size();
        return n;
    }

    public Config get(long index) {
        if (index < 0 || index >= size()) throw new IllegalArgumentException("config space: index " + index + " out of [0, " + size() + ")");
        int[] choice = new int[knobs.size()];
        for (int k = knobs.size() - 1; k >= 0; k--) {
            int n = knobs.get(k).values().size();
            choice[k] = (int) (index % n);
            index /= n;
        }
        return new Config(this, choice);
    }

    public Config random(Random r) {
        int[] choice = new int[knobs.size()];
        for (int k = 0; k < choice.length; k++) choice[k] = r.nextInt(knobs.get(k).values().size());
        return new Config(this, choice);
    }

    /** The configuration with these knob values (from a log line); fails naming a knob or value the space lacks. */
    public Config of(Map<String, Integer> values) {
        int[] choice = new int[knobs.size()];
        for (int k = 0; k < choice.length; k++) {
            Knob knob = knobs.get(k);
            Integer v = values.get(knob.name());
            if (v == null) throw new IllegalArgumentException("config: knob " + knob.name() + " is missing in " + values);
            choice[k] = knob.values().indexOf(v);
            if (choice[k] < 0) throw new IllegalArgumentException("config: knob " + knob.name() + " has no value " + v + " (candidates " + knob.values() + ")");
        }
        return new Config(this, choice);
    }

    /** Every configuration that differs from {@code c} in exactly one knob (a walker's or a mutation's moves). */
    public List<Config> neighbours(Config c) {
        List<Config> out = new ArrayList<>();
        for (int k = 0; k < knobs.size(); k++) {
            for (int v = 0; v < knobs.get(k).values().size(); v++) {
                if (v == c.choice(k)) continue;
                int[] ch = c.choices();
                ch[k] = v;
                out.add(new Config(this, ch));
            }
        }
        return out;
    }

    public Map<String, List<Integer>> describe() {
        Map<String, List<Integer>> m = new LinkedHashMap<>();
        for (Knob k : knobs) m.put(k.name(), k.values());
        return m;
    }
}
