package org.sinter;

/**
 * Anomaly detection (PyTorch's {@code detect_anomaly}): while enabled, each op remembers where it
 * was called, and backward fails as soon as a gradient function returns NaN or Inf, naming the
 * operation and showing the forward call's stack trace. Slows everything down; for debugging.
 */
public final class AnomalyMode {
    private static volatile boolean enabled;

    private AnomalyMode() {}

    public static boolean isEnabled() {
        return enabled;
    }

    /** Enables anomaly mode and returns a scope that restores the previous setting. */
    public static GradMode.Scope enable() {
        boolean prev = enabled;
        enabled = true;
        return () -> enabled = prev;
    }

    public static void setEnabled(boolean on) {
        enabled = on;
    }
}
