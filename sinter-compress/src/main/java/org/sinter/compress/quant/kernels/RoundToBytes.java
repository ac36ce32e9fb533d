package org.sinter.compress.quant.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized {@code clamp(rint(v) + z, lo, hi)} into bytes, the last step of quantizing and of
 * requantizing. The Vector API has no round-to-nearest-even lanewise operation, so it adds and
 * subtracts 1.5 * 2^23: for |v| < 2^22 the sum lies where float's step is exactly 1 and IEEE
 * rounding (half to even) does the rest, equal to {@link Math#rint}; larger |v| lands beyond the
 * clamp either way, with its sign kept.
 */
public final class RoundToBytes {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_128.length() == F.length() ? ByteVector.SPECIES_128
            : ByteVector.SPECIES_64.length() == F.length() ? ByteVector.SPECIES_64 : null;
    private static final float MAGIC = 12582912f; // 1.5 * 2^23

    private RoundToBytes() {}

    /** {@code out[to + i] = clamp(rint(x[from + i] * mul) + z, lo, hi)} for {@code i < n}. */
    public static void scaled(float[] x, int from, float mul, int z, int lo, int hi, byte[] out, int to, int n) {
        int i = 0;
        if (B != null) {
            float fz = z, flo = lo, fhi = hi;
            for (; i <= n - F.length(); i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, x, from + i).mul(mul).add(MAGIC).sub(MAGIC).add(fz).max(flo).min(fhi);
                ((IntVector) v.convertShape(VectorOperators.F2I, I, 0)).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
                        .intoArray(out, to + i);
            }
        }
        for (; i < n; i++) {
            float r = (float) Math.rint(x[from + i] * mul) + z;
            out[to + i] = (byte) (int) Math.max(lo, Math.min(hi, r));
        }
    }

    /**
     * {@link #requantize(int[], int, int, int, int[], int, float, float, int, int, int, byte[], int, int)}
     * for sums already corrected and held exactly in float32 (the exact-float kernels' output):
     * {@code q = clamp(rint((acc + biasTerm) * mult) + z, lo, hi)}, the same arithmetic, since an
     * int32 sum below 2^24 converts to the very float these hold.
     */
    public static void requantize(float[] acc, int from, float biasTerm, float mult, int z, int lo, int hi, byte[] out, int to, int n) {
        int i = 0;
        if (B != null) {
            float fz = z, flo = lo, fhi = hi;
            for (; i <= n - F.length(); i += F.length()) {
                FloatVector v = FloatVector.fromArray(F, acc, from + i).add(biasTerm).mul(mult).add(MAGIC).sub(MAGIC).add(fz).max(flo).min(fhi);
                ((IntVector) v.convertShape(VectorOperators.F2I, I, 0)).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
                        .intoArray(out, to + i);
            }
        }
        for (; i < n; i++) {
            float r = (float) Math.rint((acc[from + i] + biasTerm) * mult) + z;
            out[to + i] = (byte) (int) Math.max(lo, Math.min(hi, r));
        }
    }

    /**
     * The requantization epilogue over a row: {@code acc = raw + fixed - offset * colSums},
     * {@code q = clamp(rint((acc + biasTerm) * mult) + z, lo, hi)}, in float32 as {@link Requantize}.
     */
    public static void requantize(int[] raw, int from, int fixed, int offset, int[] colSums, int colFrom, float biasTerm, float mult,
                                  int z, int lo, int hi, byte[] out, int to, int n) {
        int i = 0;
        if (B != null) {
            float fz = z, flo = lo, fhi = hi;
            for (; i <= n - I.length(); i += I.length()) {
                IntVector acc = IntVector.fromArray(I, raw, from + i).add(fixed).sub(IntVector.fromArray(I, colSums, colFrom + i).mul(offset));
                FloatVector v = ((FloatVector) acc.convertShape(VectorOperators.I2F, F, 0)).add(biasTerm).mul(mult).add(MAGIC).sub(MAGIC)
                        .add(fz).max(flo).min(fhi);
                ((IntVector) v.convertShape(VectorOperators.F2I, I, 0)).convertShape(VectorOperators.I2B, B, 0).reinterpretAsBytes()
                        .intoArray(out, to + i);
            }
        }
        for (; i < n; i++) {
            int acc = raw[from + i] + fixed - offset * colSums[colFrom + i];
            float r = (float) Math.rint((acc + biasTerm) * mult) + z;
            out[to + i] = (byte) (int) Math.max(lo, Math.min(hi, r));
        }
    }
}
