package org.sinter;

import org.sinter.kernels.Parallel;

/**
 * Global settings and scopes: the random seed, the thread count, and gradient recording.
 *
 * <pre>{@code
 * Sinter.manualSeed(42);
 * Sinter.setNumThreads(2);
 * try (var ng = Sinter.noGrad()) { ... }   // no autograd graph inside
 * }</pre>
 */
public final class Sinter {
    private Sinter() {}

    /** Seeds the global generator: rand/randn/randint/randperm repeat exactly after it. */
    public static void manualSeed(long seed) {
        Generator.setGlobalSeed(seed);
    }

    /** Threads used by intra-op parallel kernels (like {@code torch.set_num_threads}). */
    public static void setNumThreads(int n) {
        Parallel.setNumThreads(n);
    }

    public static int getNumThreads() {
        return Parallel.numThreads();
    }

    /** A scope in which operations record no autograd graph (PyTorch's {@code torch.no_grad()}). */
    public static GradMode.Scope noGrad() {
        return GradMode.set(false);
    }

    /** A scope in which recording is on again (inside a {@link #noGrad()} scope). */
    public static GradMode.Scope enableGrad() {
        return GradMode.set(true);
    }

    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /** A scope with anomaly detection on (see {@link AnomalyMode}). */
    public static GradMode.Scope detectAnomaly() {
        return AnomalyMode.enable();
    }
}
