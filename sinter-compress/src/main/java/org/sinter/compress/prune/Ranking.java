package org.sinter.compress.prune;

import java.util.Arrays;

/** Indices of the k smallest or largest values, ties broken by the lower index (what topk needs here). */
final class Ranking {
    private Ranking() {}

    static int[] smallest(double[] values, int k) {
        return sorted(values, false, k);
    }

    static int[] largest(double[] values, int k) {
        return sorted(values, true, k);
    }

    private static int[] sorted(double[] values, boolean descending, int k) {
        if (k < 0 || k > values.length) throw new IllegalArgumentException("topk: k=" + k + " out of range for " + values.length + " values");
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = descending ? Double.compare(values[b], values[a]) : Double.compare(values[a], values[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = order[i];
        return out;
    }
}
