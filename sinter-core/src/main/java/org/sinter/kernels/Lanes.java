package org.sinter.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums and products of a vector in one fixed order (a halving tree: lane i with lane
 * i + L/2, then with i + L/4, …). The Vector API leaves the order of a floating-point
 * {@code reduceLanes(ADD)} unspecified, and the interpreter and C2 really do use different orders,
 * so a result could change once a kernel gets compiled: training runs would not repeat bit for
 * bit, and a resumed run would drift from an uninterrupted one. This order is the same in every
 * execution mode.
 */
public final class Lanes {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] FSHUF = new VectorShuffle[FS.length()];
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Double>[] DSHUF = new VectorShuffle[DS.length()];

    static {
        for (int h = 1; h < FS.length(); h *= 2) FSHUF[h] = VectorShuffle.iota(FS, h, 1, true);
        for (int h = 1; h < DS.length(); h *= 2) DSHUF[h] = VectorShuffle.iota(DS, h, 1, true);
    }

    private Lanes() {}

    /** Sum of the lanes of a preferred-species vector, in a fixed order. */
    public static float sum(FloatVector v) {
        for (int h = FS.length() / 2; h >= 1; h /= 2) v = v.add(v.rearrange(FSHUF[h]));
        return v.lane(0);
    }

    /** Product of the lanes, in a fixed order. */
    public static float product(FloatVector v) {
        for (int h = FS.length() / 2; h >= 1; h /= 2) v = v.mul(v.rearrange(FSHUF[h]));
        return v.lane(0);
    }

    public static double sum(DoubleVector v) {
        for (int h = DS.length() / 2; h >= 1; h /= 2) v = v.add(v.rearrange(DSHUF[h]));
        return v.lane(0);
    }

    public static double product(DoubleVector v) {
        for (int h = DS.length() / 2; h >= 1; h /= 2) v = v.mul(v.rearrange(DSHUF[h]));
        return v.lane(0);
    }
}
