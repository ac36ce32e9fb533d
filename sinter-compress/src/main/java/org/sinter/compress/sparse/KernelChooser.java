package org.sinter.compress.sparse;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks, per layer shape, input shape and sparsity, the fastest of the dense kernel and the sparse
 * formats by timing each on the real input (a few runs, the median), as cuDNN's benchmark mode
 * does; the decision is cached under that key so the calibration runs once per shape. A chooser
 * can also be fixed to one format (tests, benchmarks).
 */
public final class KernelChooser {
    /** One calibration: the median time of each candidate and the one chosen. */
    public record Calibration(String key, Map<SparseFormat, Double> medianMillis, SparseFormat chosen) {}

    private final SparseFormat fixed;
    private final int runs;
    private final Map<String, Calibration> cache = new ConcurrentHashMap<>();

    private KernelChooser(SparseFormat fixed, int runs) {
        this.fixed = fixed;
        this.runs = runs;
    }

    /** Measures each candidate {@code runs} times (after one warm-up run) and keeps the fastest. */
    public static KernelChooser measuring(int runs) {
        if (runs < 1) throw new IllegalArgumentException("KernelChooser: runs must be >= 1, got " + runs);
        return new KernelChooser(null, runs);
    }

    public static KernelChooser measuring() {
        return measuring(5);
    }

    /** Always {@code format} (CSR where a block format does not tile the weight). */
    public static KernelChooser fixed(SparseFormat format) {
        return new KernelChooser(format, 0);
    }

    /** The format for {@code key}: from the cache, or measured now over {@code candidates} (which include DENSE). */
    public SparseFormat choose(String key, Map<SparseFormat, Runnable> candidates) {
        if (fixed != null) return candidates.containsKey(fixed) ? fixed : SparseFormat.CSR;
        Calibration c = cache.get(key);
        if (c != null) return c.chosen();
        Map<SparseFormat, Double> times = new EnumMap<>(SparseFormat.class);
        for (Map.Entry<SparseFormat, Runnable> e : candidates.entrySet()) times.put(e.getKey(), medianMillis(e.getValue()));
        SparseFormat best = SparseFormat.DENSE;
        for (Map.Entry<SparseFormat, Double> e : times.entrySet()) if (e.getValue() < times.getOrDefault(best, Double.MAX_VALUE)) best = e.getKey();
        cache.put(key, new Calibration(key, times, best));
        return best;
    }

    private double medianMillis(Runnable run) {
        run.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            run.run();
            t[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    /** Every calibration so far, by key. */
    public Map<String, Calibration> calibrations() {
        return new LinkedHashMap<>(cache);
    }
}
