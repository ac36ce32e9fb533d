package org.sinter.kernels.optim;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * What the fused optimizer kernels ({@link AdamKernel}, {@link SgdKernel}, {@link AdadeltaKernel})
 * share: one pass over dense float32 arrays that reads the gradient once and updates the parameter
 * and its state element by element, instead of the composite's several passes and temporaries.
 * The composites in {@code org.sinter.optim} stay the reference; tests compare the two.
 */
public final class FusedUpdate {
    private FusedUpdate() {}

    /** Whether a fused kernel applies: parameter, gradient and state float32, contiguous, of one size. */
    public static boolean supports(Tensor param, Tensor grad, Tensor... state) {
        if (param.dtype() != DType.FLOAT32 || !param.isContiguous()) return false;
        if (grad.dtype() != DType.FLOAT32 || !grad.isContiguous() || grad.numel() != param.numel()) return false;
        for (Tensor s : state) {
            if (s != null && (s.dtype() != DType.FLOAT32 || !s.isContiguous() || s.numel() != param.numel())) return false;
        }
        return true;
    }
}
