package org.sinter.nn;

import org.sinter.Tensor;
import org.sinter.nn.functional.F;

/**
 * Layer normalization over the trailing {@code normalizedShape} dimensions, with an elementwise
 * affine transform ({@code weight} ones, {@code bias} zeros) unless disabled. Prints
 * {@code LayerNorm((64,), eps=1e-05, elementwise_affine=True)}.
 */
public final class LayerNorm extends Module {
    public final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;
    public final Tensor weight, bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        for (int n : normalizedShape) LayerArgs.nonNegative("LayerNorm", "normalized_shape entry", n);
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        weight = registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        bias = registerParameter("bias", elementwiseAffine ? Tensor.zeros(normalizedShape) : null);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return Reprs.tuple(normalizedShape) + ", eps=" + PyRepr.pyFloat(eps) + ", elementwise_affine=" + PyRepr.pyBool(elementwiseAffine);
    }
}
