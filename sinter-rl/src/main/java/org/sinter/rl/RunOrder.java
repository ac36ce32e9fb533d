package org.sinter.rl;

/**
 * The order the scaling mains run their worker counts in: rotated by one place per seed, so that
 * no count always runs first in a seed (right after another run's garbage, or at a different load).
 */
public final class RunOrder {
    private RunOrder() {}

    /** {@code counts} started {@code by} places along: {1, 2, 4} by 1 is {2, 4, 1}. */
    public static int[] rotated(int[] counts, int by) {
        int n = counts.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = counts[Math.floorMod(i + by, n)];
        return out;
    }
}
