package org.sinter.automl.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.automl.space.NestedOption;
import org.sinter.automl.space.Parameter;
import org.sinter.automl.space.SearchSpace;

/**
 * A flat search space laid out as the unit cube that model-based tuners (GP-BO, annealing,
 * evolution) search in: a numeric parameter is one coordinate, its internal value (log value for
 * the log kinds, see {@link NumericScale}) scaled to {@code [0, 1]} between its bounds, or for the
 * unbounded normal kinds pushed through the prior's CDF; a choice of {@code k} options is {@code k}
 * one-hot coordinates, decoded by the largest. Nested choices have no fixed layout and are refused.
 */
final class UnitCube {
    private final List<String> names = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NumericScale> scales = new ArrayList<>(); // null for a choice
    private final int[] offsets;
    private final int dimension;

    UnitCube(SearchSpace space, String tuner) {
        int d = 0;
        offsets = new int[space.parameters().size()];
        int i = 0;
        for (var e : space.parameters().entrySet()) {
            Parameter p = e.getValue();
            names.add(e.getKey());
            parameters.add(p);
            offsets[i++] = d;
            if (p instanceof Parameter.Choice c) {
                if (c.options().stream().anyMatch(o -> o instanceof NestedOption))
                    throw new IllegalArgumentException("the " + tuner + " tuner needs a flat search space, but parameter '"
                            + e.getKey() + "' has nested options; use tpe or random for nested spaces");
                scales.add(null);
                d += c.options().size();
            } else {
                scales.add(NumericScale.of(p));
                d += 1;
            }
        }
        dimension = d;
    }

    int dimension() { return dimension; }

    int parameterCount() { return names.size(); }

    /** The coordinates parameter {@code i} occupies: {@code [offset(i), offset(i) + width(i))}. */
    int offset(int i) { return offsets[i]; }

    int width(int i) { return scales.get(i) == null ? ((Parameter.Choice) parameters.get(i)).options().size() : 1; }

    boolean isChoice(int i) { return scales.get(i) == null; }

    double[] encode(Map<String, Object> values) {
        double[] x = new double[dimension];
        for (int i = 0; i < names.size(); i++) {
            Object v = values.get(names.get(i));
            if (v == null) throw new IllegalArgumentException("trial parameters lack '" + names.get(i) + "'");
            NumericScale s = scales.get(i);
            if (s == null) {
                int index = ((Parameter.Choice) parameters.get(i)).options().indexOf(v);
                if (index < 0) throw new IllegalArgumentException("parameter '" + names.get(i) + "': " + v + " is not one of its options");
                x[offsets[i] + index] = 1;
            } else {
                double internal = s.log() ? Math.log(((Number) v).doubleValue()) : ((Number) v).doubleValue();
                x[offsets[i]] = Double.isFinite(s.low())
                        ? Math.clamp((internal - s.low()) / (s.high() - s.low()), 0, 1)
                        : Math.clamp(Gaussian.cdf((internal - s.priorMu()) / s.width()), 1e-9, 1 - 1e-9);
            }
        }
        return x;
    }

    /** Snaps {@code x} to a point a trial can have (one-hot choices, quantized values) and decodes it. */
    Map<String, Object> decode(double[] x) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            NumericScale s = scales.get(i);
            if (s == null) {
                List<Object> options = ((Parameter.Choice) parameters.get(i)).options();
                int best = 0;
                for (int k = 1; k < options.size(); k++) if (x[offsets[i] + k] > x[offsets[i] + best]) best = k;
                values.put(names.get(i), options.get(best));
            } else {
                double u = Math.clamp(x[offsets[i]], 0, 1);
                double internal = Double.isFinite(s.low())
                        ? s.low() + u * (s.high() - s.low())
                        : s.priorMu() + s.width() * Gaussian.inverseCdf(Math.clamp(u, 1e-9, 1 - 1e-9));
                values.put(names.get(i), s.fromInternal(internal));
            }
        }
        return values;
    }

    /** {@code x} moved to the nearest point a trial can have, in cube coordinates. */
    double[] snap(double[] x) {
        return encode(decode(x));
    }

    /** A uniformly random point of the cube with one-hot choices. */
    double[] random(java.util.random.RandomGenerator rng) {
        double[] x = new double[dimension];
        for (int i = 0; i < names.size(); i++) {
            if (isChoice(i)) x[offsets[i] + rng.nextInt(width(i))] = 1;
            else x[offsets[i]] = rng.nextDouble();
        }
        return x;
    }
}
