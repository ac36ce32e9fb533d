package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A heterogeneous cluster as Gavel describes one: how many GPUs of each type. Gavel's spec form
 * {@code V100:P100:K80} counts ({@code 36:36:36}, its simulated cluster), or named counts
 * ({@code v100=36,k80=72}). The round-based simulator treats each type's GPUs as one pool (Gavel's
 * simulator does too: a job's gang runs on GPUs of one type; placement inside a type is not modelled).
 */
public record GpuMix(List<String> types, int[] counts) {
    /** The type order of Gavel's spec strings and of {@code simulation_throughputs.json}. */
    public static final List<String> GAVEL_TYPES = List.of("v100", "p100", "k80");

    public GpuMix {
        if (types.size() != counts.length || types.isEmpty()) throw new IllegalArgumentException("GPU mix: one count per GPU type");
        int total = 0;
        for (int c : counts) {
            if (c < 0) throw new IllegalArgumentException("GPU mix: counts must be >= 0, got " + c);
            total += c;
        }
        if (total == 0) throw new IllegalArgumentException("GPU mix: the cluster has no GPUs");
        types = List.copyOf(types);
        counts = counts.clone();
    }

    public int typeCount() {
        return counts.length;
    }

    public int total() {
        int t = 0;
        for (int c : counts) t += c;
        return t;
    }

    /** Types that have at least one GPU. */
    public int nonEmptyTypes() {
        int n = 0;
        for (int c : counts) if (c > 0) n++;
        return n;
    }

    /** {@code 36:36:36} (V100:P100:K80) or {@code v100=36,p100=36,k80=36}. */
    public static GpuMix parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.contains("=")) {
                List<String> types = new ArrayList<>();
                List<Integer> counts = new ArrayList<>();
                for (String part : s.split(",")) {
                    int eq = part.indexOf('=');
                    if (eq <= 0) throw new IllegalArgumentException("GPU mix '" + spec + "': expected type=count, got '" + part + "'");
                    types.add(part.substring(0, eq).trim());
                    counts.add(Integer.parseInt(part.substring(eq + 1).trim()));
                }
                return new GpuMix(types, counts.stream().mapToInt(Integer::intValue).toArray());
            }
            String[] parts = s.split(":");
            if (parts.length != GAVEL_TYPES.size()) throw new IllegalArgumentException("GPU mix '" + spec + "': expected V100:P100:K80 counts, e.g. 36:36:36");
            int[] counts = new int[parts.length];
            for (int i = 0; i < parts.length; i++) counts[i] = Integer.parseInt(parts[i].trim());
            return new GpuMix(GAVEL_TYPES, counts);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU mix '" + spec + "': not a number (" + e.getMessage() + ")");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < counts.length; i++) sb.append(i == 0 ? "" : ", ").append(counts[i]).append(' ').append(types.get(i));
        return sb.toString();
    }
}
