package org.sinter.ops;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * PyTorch's result-type rule for ops with several operands: tensors with dimensions decide the
 * type; 0-d tensors and wrapped Java numbers only raise its category (bool → integer → floating),
 * a wrapped floating number raising it to the default float32.
 */
public final class TypePromotion {
    private TypePromotion() {}

    public static DType resultType(Tensor... operands) {
        DType dim = null, zero = null, wrapped = null;
        for (Tensor t : operands) {
            DType d = t.dtype();
            if (t.isWrappedNumber()) {
                if (d.isFloatingPoint()) d = DType.FLOAT32;
                wrapped = wrapped == null ? d : DType.promote(wrapped, d);
            } else if (t.dim() == 0) {
                zero = zero == null ? d : DType.promote(zero, d);
            } else {
                dim = dim == null ? d : DType.promote(dim, d);
            }
        }
        return combine(dim, combine(zero, wrapped));
    }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null) return higher;
        if (higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || lower.isFloatingPoint()) return DType.promote(higher, lower);
        return higher;
    }

    /** The float type an integer result is promoted to by true division and float math: float32. */
    public static DType toFloating(DType t) {
        return t.isFloatingPoint() ? t : DType.FLOAT32;
    }
}
