package org.sinter;

/**
 * The one check applied wherever a Java {@code double} becomes an element of a dtype (full, fill_,
 * masked_fill, scatter's value, pad's value, clamp's bounds, add's alpha, arange's ends): a value the
 * dtype cannot hold is an error, as in PyTorch ({@code value cannot be converted to type int without
 * overflow}), instead of a silent 0, -1 or saturated value. An integer dtype takes values within its
 * range, then truncates them toward zero (2.5 becomes 2); NaN and infinities fit only the floating
 * dtypes and bool.
 */
public final class ScalarConversion {
    private ScalarConversion() {}

    /** {@code value} when {@code dtype} can hold it (after truncation for integers); otherwise an error naming op, value and dtype. */
    public static double checked(String op, double value, DType dtype) {
        if (!fits(value, dtype)) {
            throw new IllegalArgumentException(op + "(): value " + value + " cannot be converted to type "
                    + dtype.torchName().replace("torch.", "") + " without overflow");
        }
        return value;
    }

    /** {@code value} as an integer of {@code dtype}'s range: it must be integral-valued (alpha of integer tensors). */
    public static long checkedIntegral(String op, String argument, double value, DType dtype) {
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException(op + "(): For integral input tensors, argument " + argument
                    + " must not be a floating point number (got " + value + ")");
        }
        return (long) checked(op, value, dtype);
    }

    /** Whether {@code value} converts to {@code dtype} without overflow (PyTorch's {@code overflows<T>} rule). */
    public static boolean fits(double value, DType dtype) {
        return switch (dtype) {
            case BOOL -> true;
            // PyTorch compares before truncating (2147483647.5 overflows int32); NaN fails both comparisons.
            case INT32 -> value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
            // 2^63 is (double) Long.MAX_VALUE but no long holds it (PyTorch lets it wrap to MIN; this rejects it).
            case INT64 -> value >= -0x1p63 && value < 0x1p63;
            case FLOAT64 -> true;
            // Infinities and NaN exist in every floating type; only finite values beyond the largest overflow.
            case FLOAT32 -> !Double.isFinite(value) || Math.abs(value) <= Float.MAX_VALUE;
            case FLOAT16 -> !Double.isFinite(value) || Math.abs(value) <= 65504.0;
            case BFLOAT16 -> !Double.isFinite(value) || Math.abs(value) <= 0x1.fep127;
        };
    }
}
