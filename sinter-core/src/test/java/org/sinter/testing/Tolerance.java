package org.sinter.testing;

/**
 * {@code |actual - expected| <= atol + rtol * |expected|} per element; NaN matches NaN and an
 * infinity only itself. The values live in {@link Tolerances}, the one table.
 */
public record Tolerance(double rtol, double atol) {

    /** Integers, bools, and anything else that must be equal. */
    public static final Tolerance EXACT = new Tolerance(0, 0);

    public boolean allows(double actual, double expected) {
        return actual == expected || (Double.isNaN(actual) && Double.isNaN(expected))
                || (Double.isFinite(expected) && Math.abs(actual - expected) <= atol + rtol * Math.abs(expected));
    }

    /**
     * How far outside the tolerance an element is: its error over the allowed error (above 1
     * fails). Infinite for a NaN or infinity that should not be there, or for any error where
     * nothing is allowed.
     */
    public double excess(double actual, double expected) {
        if (allows(actual, expected)) return 0;
        double err = Math.abs(actual - expected), allowed = atol + rtol * Math.abs(expected);
        return Double.isFinite(err) && allowed > 0 ? err / allowed : Double.POSITIVE_INFINITY;
    }

    @Override
    public String toString() { return "rtol=" + rtol + " atol=" + atol; }
}
