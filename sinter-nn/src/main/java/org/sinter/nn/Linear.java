package org.sinter.nn;

import org.sinter.Tensor;

/**
 * A fully connected layer {@code y = x Wᵀ + b} (PyTorch's {@code nn.Linear}). The input's last
 * dimension is {@code inFeatures}; any leading dimensions are batch dimensions.
 *
 * <p>Initialization as in PyTorch: weight from Kaiming-uniform with a = √5, i.e. U(±1/√in), and
 * bias from U(±1/√in).
 */
public class Linear extends Module {
    public final int inFeatures, outFeatures;
    public final Tensor weight;
    /** null when built without bias. */
    public final Tensor bias;

    @SuppressWarnings("this-escape") // registers and initializes (resetParameters) its parameters in the constructor, as PyTorch does
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        LayerArgs.nonNegative("Linear", "in_features", inFeatures);
        LayerArgs.nonNegative("Linear", "out_features", outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.empty(outFeatures, inFeatures));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outFeatures) : null);
        resetParameters();
    }

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    /** Re-draws the parameters from PyTorch's default distributions. */
    public void resetParameters() {
        if (inFeatures == 0) {
            Init.zeros_(weight);
            if (bias != null) Init.zeros_(bias);
            return;
        }
        Init.kaimingUniform_(weight, Math.sqrt(5), Init.FanMode.FAN_IN, "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt(inFeatures);
            Init.uniform_(bias, -bound, bound);
        }
    }

    /** {@code x Wᵀ + b} for input (*, in) → (*, out). */
    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0 || input.size(-1) != inFeatures) {
            throw new IllegalArgumentException("Linear: expected input with last dimension " + inFeatures + ", got " + input.describe());
        }
        return linear(input, weight, bias);
    }

    /** The functional form, {@code x Wᵀ + b} (b may be null). */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        Tensor y = x.matmul(w.t());
        return b == null ? y : y.add(b);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + PyRepr.pyBool(bias != null);
    }
}
