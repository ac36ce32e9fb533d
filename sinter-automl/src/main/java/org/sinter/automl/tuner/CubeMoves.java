package org.sinter.automl.tuner;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Neighbourhood moves in a {@link UnitCube} that the local-search tuners share. */
final class CubeMoves {
    private CubeMoves() {}

    /** A Gaussian step of scale {@code step} on every numeric coordinate (clipped), each choice re-drawn with probability {@code flip}. */
    static double[] perturbAll(UnitCube cube, double[] x, double step, double flip, RandomGenerator rng) {
        double[] p = x.clone();
        for (int i = 0; i < cube.parameterCount(); i++) {
            if (cube.isChoice(i)) {
                if (rng.nextDouble() < flip) redraw(cube, p, i, rng);
            } else {
                p[cube.offset(i)] = Math.clamp(p[cube.offset(i)] + step * rng.nextGaussian(), 0, 1);
            }
        }
        return p;
    }

    /** Changes one randomly chosen parameter: a Gaussian step of scale {@code step}, or another option of a choice. */
    static double[] mutateOne(UnitCube cube, double[] x, double step, RandomGenerator rng) {
        double[] p = x.clone();
        int i = rng.nextInt(cube.parameterCount());
        if (cube.isChoice(i)) redraw(cube, p, i, rng);
        else p[cube.offset(i)] = Math.clamp(p[cube.offset(i)] + step * rng.nextGaussian(), 0, 1);
        return p;
    }

    private static void redraw(UnitCube cube, double[] p, int i, RandomGenerator rng) {
        int o = cube.offset(i), k = cube.width(i);
        Arrays.fill(p, o, o + k, 0);
        p[o + rng.nextInt(k)] = 1;
    }
}
