package org.sinter.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Horizontal sums and products of a vector in one fixed order (a halving tree: lane i with lane
 * i + L/2, then with i + L/4, …). The Vector API leaves the order of a floating-point
 * {@code reduceLanes(ADD)} unspecified, and the interpreter and C2 really do use different orders,
 * so a result could change once a kernel gets compiled: training runs would not repeat bit for
 * bit, and a resumed run would drift from an uninterrupted one. This order is the same in every
 * execution mode.
 *
 * <p>Any vector shape is accepted (kernels pick 256- or 512-bit species by what they need): the
 * rotation shuffles are built once per shape.
 */
public final class Lanes {
    private static final VectorShape[] SHAPES = {VectorShape.S_64_BIT, VectorShape.S_128_BIT, VectorShape.S_256_BIT, VectorShape.S_512_BIT};
    /** Rotation shuffles by shape index, then by half-width h. */
    private static final VectorShuffle<Float>[][] FSHUF = shuffles(FloatVector.SPECIES_64, FloatVector.SPECIES_128,
            FloatVector.SPECIES_256, FloatVector.SPECIES_512);
    private static final VectorShuffle<Double>[][] DSHUF = shuffles(DoubleVector.SPECIES_64, DoubleVector.SPECIES_128,
            DoubleVector.SPECIES_256, DoubleVector.SPECIES_512);

    private Lanes() {}

    @SafeVarargs
    @SuppressWarnings("unchecked")
    private static <E> VectorShuffle<E>[][] shuffles(VectorSpecies<E>... species) {
        VectorShuffle<E>[][] out = (VectorShuffle<E>[][]) new VectorShuffle<?>[species.length][];
        for (int s = 0; s < species.length; s++) {
            VectorSpecies<E> sp = species[s];
            out[s] = (VectorShuffle<E>[]) new VectorShuffle<?>[Math.max(2, sp.length())];
            for (int h = 1; h < sp.length(); h *= 2) out[s][h] = VectorShuffle.iota(sp, h, 1, true);
        }
        return out;
    }

    private static int shapeIndex(VectorShape shape) {
        for (int i = 0; i < SHAPES.length; i++) if (SHAPES[i] == shape) return i;
        throw new IllegalArgumentException("Lanes: unsupported vector shape " + shape);
    }

    /** Sum of the lanes, in a fixed order. */
    public static float sum(FloatVector v) {
        VectorShuffle<Float>[] sh = FSHUF[shapeIndex(v.shape())];
        for (int h = v.length() / 2; h >= 1; h /= 2) v = v.add(v.rearrange(sh[h]));
        return v.lane(0);
    }

    /** Product of the lanes, in a fixed order. */
    public static float product(FloatVector v) {
        VectorShuffle<Float>[] sh = FSHUF[shapeIndex(v.shape())];
        for (int h = v.length() / 2; h >= 1; h /= 2) v = v.mul(v.rearrange(sh[h]));
        return v.lane(0);
    }

    public static double sum(DoubleVector v) {
        VectorShuffle<Double>[] sh = DSHUF[shapeIndex(v.shape())];
        for (int h = v.length() / 2; h >= 1; h /= 2) v = v.add(v.rearrange(sh[h]));
        return v.lane(0);
    }

    public static double product(DoubleVector v) {
        VectorShuffle<Double>[] sh = DSHUF[shapeIndex(v.shape())];
        for (int h = v.length() / 2; h >= 1; h /= 2) v = v.mul(v.rearrange(sh[h]));
        return v.lane(0);
    }
}
