package org.sinter.testing;

import java.util.Random;

/**
 * Draws float64 values from a fixture input's named domain (see tools/fixtures/README.md), the
 * same places the PyTorch fixtures were drawn from, so finite differences stay clear of poles,
 * kinks and undefined points.
 */
public final class Domains {
    /** Values keep this far from a kink, as in the generator (fixturelib.KINK_MARGIN). */
    public static final double KINK_MARGIN = 0.05;

    private Domains() {}

    public static double[] sample(Random rnd, String domain, double[] kinks, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            do {
                v[i] = one(rnd, domain);
            } while (nearKink(v[i], kinks));
        }
        return v;
    }

    private static boolean nearKink(double x, double[] kinks) {
        for (double k : kinks) if (Math.abs(x - k) < KINK_MARGIN) return true;
        return false;
    }

    private static double one(Random rnd, String domain) {
        int colon = domain.indexOf(':');
        String kind = colon < 0 ? domain : domain.substring(0, colon);
        String[] args = colon < 0 ? new String[0] : domain.substring(colon + 1).split(",");
        return switch (kind) {
            case "normal" -> rnd.nextGaussian();
            case "positive" -> uniform(rnd, 0.5, 2.0);
            case "nonzero" -> uniform(rnd, 0.25, 1.5) * (rnd.nextBoolean() ? 1 : -1);
            case "gtm1" -> uniform(rnd, -0.5, 2.0);
            case "uniform" -> uniform(rnd, Double.parseDouble(args[0]), Double.parseDouble(args[1]));
            // Integer-valued floats exist only to make ties in comparisons; none is differentiated.
            case "ints" -> Integer.parseInt(args[0])
                    + rnd.nextInt(Integer.parseInt(args[1]) - Integer.parseInt(args[0]) + 1);
            default -> throw new IllegalArgumentException("unknown domain " + domain);
        };
    }

    private static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
