package org.sinter.autotune.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times two kernels in turn in one JVM, the protocol every comparison of a tuned kernel with the
 * built-in one rests on: 1 s of warm-up each, then 15 samples of each, taken alternately (a, b,
 * a, b, ...), each the mean of enough calls to last 50 ms. Why in turn and in one process: the
 * built-in kernels are shared classes whose compiled code depends on what ran before them (the
 * stride-2 kernel measured 5.7 GFLOP/s or 170 on C4 in two fresh JVMs, depending on which layers ran
 * first, 2026-11-29), and a shared machine's load changes by the second, so two figures taken at
 * different times, or by different warm-ups, do not compare; two taken side by side do.
 */
public final class SideBySide {
    private SideBySide() {}

    /** The samples of each kernel, seconds per call, in the order taken: {@code [a, b]}. */
    public static List<List<Double>> samples(Runnable a, Runnable b) {
        return samples(a, b, System::nanoTime);
    }

    /** As {@link #samples(Runnable, Runnable)} with the samples read on {@code clock} (nanoseconds: the wall, or a thread's CPU time). */
    public static List<List<Double>> samples(Runnable a, Runnable b, LongSupplier clock) {
        Runnable[] f = {a, b};
        int[] number = new int[2];
        for (int i = 0; i < 2; i++) {
            long end = System.nanoTime() + 1_000_000_000L, c0 = clock.getAsLong();
            int calls = 0;
            while (System.nanoTime() < end || calls < 3) {
                f[i].run();
                calls++;
            }
            number[i] = (int) Math.max(1, 50e6 / Math.max(1.0, (clock.getAsLong() - c0) / (double) calls));
        }
        List<List<Double>> out = List.of(new ArrayList<>(), new ArrayList<>());
        for (int r = 0; r < 15; r++) {
            for (int i = 0; i < 2; i++) {
                long t = clock.getAsLong();
                for (int j = 0; j < number[i]; j++) f[i].run();
                out.get(i).add((clock.getAsLong() - t) / 1e9 / number[i]);
            }
        }
        return out;
    }

    /** The median ms of a call of each of {@code a} and {@code b} ({@link #samples}). */
    public static double[] medianMs(Runnable a, Runnable b) {
        return medianMs(a, b, System::nanoTime);
    }

    /** As {@link #medianMs(Runnable, Runnable)} on {@code clock}. */
    public static double[] medianMs(Runnable a, Runnable b, LongSupplier clock) {
        List<List<Double>> s = samples(a, b, clock);
        return new double[] {median(s.get(0)) * 1e3, median(s.get(1)) * 1e3};
    }

    /** The median of {@code xs} (the upper one of an even count). */
    public static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
