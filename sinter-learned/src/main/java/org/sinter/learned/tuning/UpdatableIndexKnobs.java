package org.sinter.learned.tuning;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.sinter.automl.space.SearchSpace;
import org.sinter.learned.index.pgm.PgmIndex;
import org.sinter.learned.index.rmi.RecursiveModelIndex;
import org.sinter.learned.index.rmi.RmiConfig;
import org.sinter.learned.index.update.DeltaLearnedIndex;
import org.sinter.learned.index.update.UpdatableLongIndex;

/**
 * The knob set of the delta-buffer learned index, as a search space: when to merge and retrain
 * ({@code merge_fraction}), which model to retrain ({@code model}: pgm or rmi) and its size
 * ({@code eps}, {@code rmi_leaves}). The defaults are the settings the mix benchmark used before any
 * tuning (merge at 1/32, a PGM-index with ε = 64 and exponential last mile).
 */
public final class UpdatableIndexKnobs {
    private UpdatableIndexKnobs() {}

    public static SearchSpace space() {
        return SearchSpace.builder()
                .logUniform("merge_fraction", 1.0 / 128, 0.5)
                .choice("model", "pgm", "rmi")
                .choice("eps", 16, 32, 64, 128, 256)
                .choice("rmi_leaves", 4096, 16384, 65536, 262144)
                .build();
    }

    public static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("merge_fraction", 1.0 / 32);
        d.put("model", "pgm");
        d.put("eps", 64);
        d.put("rmi_leaves", 16384);
        return d;
    }

    /** The index a knob setting describes, over sorted initial keys. */
    public static Function<long[], UpdatableLongIndex> builder(Map<String, Object> knobs) {
        double fraction = number(knobs, "merge_fraction").doubleValue();
        String model = String.valueOf(knobs.get("model"));
        int eps = number(knobs, "eps").intValue(), leaves = number(knobs, "rmi_leaves").intValue();
        Function<long[], org.sinter.learned.index.SortedLongIndex> learned = switch (model) {
            case "pgm" -> a -> new PgmIndex(a, eps, 4, true);
            case "rmi" -> a -> new RecursiveModelIndex(a, RmiConfig.of(RmiConfig.RootType.CUBIC, leaves));
            default -> throw new IllegalArgumentException("knob 'model' must be pgm or rmi, got '" + model + "'");
        };
        return k -> new DeltaLearnedIndex(k, learned, fraction, 1 << 16);
    }

    private static Number number(Map<String, Object> knobs, String name) {
        Object v = knobs.get(name);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("knob '" + name + "' must be a number, got " + v);
        return n;
    }
}
