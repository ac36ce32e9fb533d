package org.sinter.autotune.measure;

import java.util.List;

/**
 * One candidate's measurement: the per-call times of each repeat (seconds; their median is the
 * cost), or the error that stopped it (invalid configuration, build failure, wrong result,
 * timeout, exception), and the seconds spent building.
 */
public record MeasureResult(List<Double> costs, String error, double buildSeconds) {
    public MeasureResult {
        costs = List.copyOf(costs);
    }

    public static MeasureResult error(String error, double buildSeconds) {
        return new MeasureResult(List.of(), error, buildSeconds);
    }

    public boolean ok() {
        return error == null;
    }

    /** The median per-call time in seconds (infinite for an error). */
    public double median() {
        if (!ok() || costs.isEmpty()) return Double.POSITIVE_INFINITY;
        double[] c = costs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    public double gflops(long flops) {
        return ok() ? flops / median() / 1e9 : 0;
    }
}
