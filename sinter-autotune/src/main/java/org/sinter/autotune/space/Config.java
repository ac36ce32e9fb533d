package org.sinter.autotune.space;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** One point of a {@link ConfigSpace}: the index of the chosen value of each knob. */
public final class Config {
    private final ConfigSpace space;
    private final int[] choice;

    Config(ConfigSpace space, int[] choice) {
        this.space = space;
        this.choice = choice.clone();
    }

    public int choice(int knob) { return choice[knob]; }

    public int[] choices() { return choice.clone(); }

    /** The value of knob {@code name}. */
    public int get(String name) {
        for (int k = 0; k < choice.length; k++) {
            Knob knob = space.knobs().get(k);
            if (knob.name().equals(name)) return knob.values().get(choice[k]);
        }
        throw new IllegalArgumentException("config: no knob " + name + " in " + space.describe().keySet());
    }

    public long index() {
        long idx = 0;
        for (int k = 0; k < choice.length; k++) idx = idx * space.knobs().get(k).values().size() + choice[k];
        return idx;
    }

    public Map<String, Integer> values() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int k = 0; k < choice.length; k++) m.put(space.knobs().get(k).name(), space.knobs().get(k).values().get(choice[k]));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Config c && Arrays.equals(c.choice, choice);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(choice);
    }

    @Override
    public String toString() {
        return values().toString();
    }
}
