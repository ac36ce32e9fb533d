package org.sinter.automl.tuner;

import java.util.List;
import org.sinter.automl.space.SearchSpace;

/** Tuners by the names the command line and the benchmarks use (NNI's builtin tuner names, lower-cased). */
public final class Tuners {
    private Tuners() {}

    public static final List<String> NAMES = List.of("random", "grid", "tpe", "tpe-multivariate", "gp", "smac", "anneal", "evolution");

    public static Tuner create(String name, SearchSpace space, long seed) {
        return switch (name) {
            case "random" -> new RandomTuner(space, seed);
            case "grid" -> new GridTuner(space);
            case "tpe" -> new TpeTuner(space, seed);
            case "tpe-multivariate" -> TpeTuner.multivariate(space, seed);
            case "gp" -> new GpTuner(space, seed);
            case "smac" -> new SmacTuner(space, seed);
            case "anneal" -> new SimulatedAnnealingTuner(space, seed);
            case "evolution" -> new RegularizedEvolutionTuner(space, seed);
            default -> throw new IllegalArgumentException("unknown tuner '" + name + "'; expected one of " + String.join(", ", NAMES));
        };
    }
}
