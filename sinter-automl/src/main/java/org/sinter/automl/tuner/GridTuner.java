package org.sinter.automl.tuner;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.sinter.automl.space.NestedOption;
import org.sinter.automl.space.Parameter;
import org.sinter.automl.space.SearchSpace;

/**
 * Every combination of a finite search space, in order (NNI's "GridSearch"): {@code choice}
 * (nested options expand their own sub-grids), {@code randint}, and the bounded quantized kinds
 * {@code quniform} and {@code qloguniform}, whose values are all {@code clip(k*q, low, high)} that
 * NNI's rounding can produce. Continuous and unbounded parameters are refused by name.
 */
public final class GridTuner implements Tuner {
    private final List<Map<String, Object>> grid;
    private final Set<Map<String, Object>> issued = new HashSet<>();
    private int next;

    public GridTuner(SearchSpace space) {
        this.grid = List.copyOf(enumerate(space, ""));
    }

    /** All configurations, in the order the tuner proposes them. */
    public List<Map<String, Object>> grid() { return grid; }

    @Override
    public Optional<Map<String, Object>> generateParameters(int trialId) {
        while (next < grid.size()) {
            Map<String, Object> candidate = grid.get(next++);
            if (issued.add(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    @Override
    public void receiveTrialResult(int trialId, Map<String, Object> parameters, double loss) {}

    @Override
    public void restore(List<Map<String, Object>> issuedBefore, List<Observation> completed) {
        issued.addAll(issuedBefore);
    }

    private static List<Map<String, Object>> enumerate(SearchSpace space, String prefix) {
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (var entry : space.parameters().entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "/" + entry.getKey();
            List<Object> values = values(path, entry.getValue());
            List<Map<String, Object>> extended = new ArrayList<>(combos.size() * values.size());
            for (Map<String, Object> combo : combos) {
                for (Object v : values) {
                    Map<String, Object> c = new LinkedHashMap<>(combo);
                    c.put(entry.getKey(), v);
                    extended.add(c);
                }
            }
            combos = extended;
        }
        return combos;
    }

    private static List<Object> values(String path, Parameter p) {
        List<Object> out = new ArrayList<>();
        switch (p) {
            case Parameter.Choice c -> {
                for (Object option : c.options()) {
                    if (option instanceof NestedOption n) {
                        for (Map<String, Object> sub : enumerate(n.space(), path + "/" + n.name())) {
                            Map<String, Object> v = new LinkedHashMap<>();
                            v.put(NestedOption.NAME_KEY, n.name());
                            v.putAll(sub);
                            out.add(v);
                        }
                    } else out.add(option);
                }
            }
            case Parameter.RandInt r -> { for (int i = r.lower(); i < r.upper(); i++) out.add(i); }
            case Parameter.QUniform u -> out.addAll(quantized(u.low(), u.high(), u.q()));
            case Parameter.QLogUniform u -> out.addAll(quantized(u.low(), u.high(), u.q()));
            default -> throw new IllegalArgumentException("parameter '" + path + "': grid search cannot enumerate "
                    + p.type() + "; use choice, randint, quniform or qloguniform");
        }
        return out;
    }

    /** {@code {clip(k*q, low, high) : k = round(low/q) .. round(high/q)}}: exactly the values NNI's rounding reaches. */
    private static TreeSet<Double> quantized(double low, double high, double q) {
        long from = Math.round(low / q), to = Math.round(high / q);
        if (to - from > 1_000_000) throw new IllegalArgumentException("grid of more than a million values");
        TreeSet<Double> values = new TreeSet<>();
        for (long k = from; k <= to; k++) values.add(Math.clamp(k * q, low, high));
        return values;
    }
}
