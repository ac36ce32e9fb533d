package org.sinter.autotune.space;

import java.util.List;

/** One tuning knob: its name and its candidate values (AutoTVM's {@code cfg.define_knob} / {@code define_split}). */
public record Knob(String name, List<Integer> values) {
    public Knob {
        values = List.copyOf(values);
        if (values.isEmpty()) throw new IllegalArgumentException("knob " + name + ": no candidate values");
    }
}
