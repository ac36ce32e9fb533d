package org.sinter.cluster.hetero;

import java.util.List;
import java.util.Locale;

/** The heterogeneous simulator's policies by name, for the command line. */
public final class HeteroPolicies {
    public static final List<String> NAMES = List.of("gavel", "max-min", "fifo", "fifo-perf");
    /** Also accepted by name, not in the default comparison: space sharing makes each round slower to plan. */
    public static final List<String> MORE = List.of("gavel-packed");

    private HeteroPolicies() {}

    public static HeteroPolicy of(String name, long seed) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "gavel" -> new MaxMinFairnessPolicy(true);
            case "gavel-packed" -> new PackedMaxMinFairnessPolicy();
            case "max-min", "las" -> new MaxMinFairnessPolicy(false);
            case "fifo" -> new HeteroFifo(false, seed);
            case "fifo-perf" -> new HeteroFifo(true, seed);
            default -> throw new IllegalArgumentException("unknown policy '" + name + "' for a heterogeneous cluster: expected one of " + NAMES + " or " + MORE);
        };
    }
}
