package org.sinter.nn;

import org.sinter.Tensor;

/**
 * Layer normalization over the last dimension with an affine transform, for the transformer
 * layers (state dict keys {@code weight}, {@code bias}; prints as PyTorch's LayerNorm). A
 * package-private stand-in until the shared {@code LayerNorm} module is on main.
 */
final class TransformerNorm extends Module {
    final int size;
    final double eps;
    final Tensor weight, bias;

    TransformerNorm(int size, double eps) {
        this.size = size;
        this.eps = eps;
        weight = registerParameter("weight", Tensor.ones(size));
        bias = registerParameter("bias", Tensor.zeros(size));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor mean = x.mean(-1, true);
        Tensor centered = x.sub(mean);
        Tensor var = centered.mul(centered).mean(-1, true);
        return centered.mul(var.add(eps).rsqrt()).mul(weight).add(bias);
    }

    @Override
    public String toString() {
        return "LayerNorm((" + size + ",), eps=" + PyRepr.pyFloat(eps) + ", elementwise_affine=True)";
    }
}
