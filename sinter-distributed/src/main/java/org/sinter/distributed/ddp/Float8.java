package org.sinter.distributed.ddp;

/**
 * The course's 8-bit float (Lab 4): 1 sign, 4 exponent and 3 mantissa bits, exponent bias 7,
 * subnormals, no infinities; the largest finite value is 448 and {@code S.1111.111} is NaN (the
 * layout OCP calls E4M3FN). Encoding rounds to nearest, ties to even, and saturates at ±448.
 */
public final class Float8 {
    private Float8() {}

    public static final float MAX = 448f;
    private static final int NAN = 0x7f;

    public static float decode(byte code) {
        int c = code & 0xff;
        int sign = c >>> 7, exp = (c >>> 3) & 0xf, man = c & 7;
        if (exp == 15 && man == 7) return Float.NaN;
        float mag = exp == 0 ? man * 0x1p-9f : (8 + man) * (float) Math.scalb(1.0, exp - 10);
        return sign == 1 ? -mag : mag;
    }

    public static byte encode(float v) {
        if (Float.isNaN(v)) return (byte) NAN;
        int sign = v < 0 || v == 0 && 1 / v < 0 ? 0x80 : 0;
        float a = Math.min(Math.abs(v), MAX);
        // Quantum of a's binade: 2^(e-3) for normals (e >= -6), 2^-9 below.
        int e = a == 0 ? -7 : Math.getExponent(a);
        float quantum = e < -6 ? 0x1p-9f : (float) Math.scalb(1.0, e - 3);
        float q = (float) Math.rint(a / quantum) * quantum; // rint: ties to even in units of the quantum
        q = Math.min(q, MAX);
        int code;
        if (q < 0x1p-6f) {
            code = (int) (q / 0x1p-9f); // subnormal, or the smallest normal reached by rounding (8 = 0.0001.000)
        } else {
            int qe = Math.getExponent(q);
            int man = (int) (q / (float) Math.scalb(1.0, qe - 3)) - 8;
            code = ((qe + 7) << 3) | man;
        }
        return (byte) (sign | code);
    }
}
