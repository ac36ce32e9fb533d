package org.sinter.nn;

import org.sinter.Tensor;

/**
 * A bilinear form {@code y_o = x1ᵀ A_o x2 + b_o} (PyTorch's {@code nn.Bilinear}). Inputs are
 * (*, in1) and (*, in2) with the same leading dimensions; the output is (*, out). Weight
 * (out, in1, in2) and bias (out) start from U(±1/√in1).
 */
public class Bilinear extends Module {
    public final int in1Features, in2Features, outFeatures;
    public final Tensor weight;
    public final Tensor bias;

    @SuppressWarnings("this-escape") // registers and initializes (resetParameters) its parameters in the constructor, as PyTorch does
    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        LayerArgs.nonNegative("Bilinear", "in1_features", in1Features);
        LayerArgs.nonNegative("Bilinear", "in2_features", in2Features);
        LayerArgs.nonNegative("Bilinear", "out_features", outFeatures);
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(outFeatures, in1Features, in2Features));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters();
    }

    public Bilinear(int in1Features, int in2Features, int outFeatures) {
        this(in1Features, in2Features, outFeatures, true);
    }

    public void resetParameters() {
        double bound = 1 / Math.sqrt(in1Features);
        Init.uniform_(weight, -bound, bound);
        if (bias != null) Init.uniform_(bias, -bound, bound);
    }

    /** Computes the form for inputs (*, in1) and (*, in2). */
    public Tensor forward(Tensor x1, Tensor x2) {
        if (x1.dim() == 0 || x1.size(-1) != in1Features || x2.dim() != x1.dim() || x2.size(-1) != in2Features) {
            throw new IllegalArgumentException("Bilinear: expected inputs (*, " + in1Features + ") and (*, " + in2Features
                    + ") with equal leading dimensions, got " + x1.describe() + " and " + x2.describe());
        }
        int[] lead = x1.shape();
        int[] outShape = lead.clone();
        outShape[outShape.length - 1] = outFeatures;
        Tensor a = x1.reshape(-1, in1Features);
        Tensor b = x2.reshape(-1, in2Features);
        // (N, in1) @ (in1, out*in2) → (N, out, in2), then contract in2 with x2.
        Tensor w = weight.permute(1, 0, 2).reshape(in1Features, outFeatures * in2Features);
        Tensor t = a.matmul(w).reshape(-1, outFeatures, in2Features);
        Tensor y = t.mul(b.unsqueeze(1)).sum(-1, false);
        if (bias != null) y = y.add(bias);
        return y.reshape(outShape);
    }

    @Override
    protected String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures
                + ", bias=" + PyRepr.pyBool(bias != null);
    }
}
