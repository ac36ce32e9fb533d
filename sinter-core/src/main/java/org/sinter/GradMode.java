package org.sinter;

/**
 * Whether operations record the autograd graph, per thread (PyTorch's grad mode). Use the scopes
 * {@link Sinter#noGrad()} and {@link Sinter#enableGrad()} in try-with-resources.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets grad mode and returns a scope that restores the previous mode when closed. */
    public static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean prev = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = prev;
    }

    /** A try-with-resources scope that cannot throw on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
