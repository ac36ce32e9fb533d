package org.sinter.nn;

import java.util.List;
import org.sinter.Tensor;

/**
 * One step of a gated recurrent unit (PyTorch's {@code nn.GRUCell}). Gates in PyTorch's order
 * r, z, n:
 * <pre>
 * r = σ(x_r + h_r),  z = σ(x_z + h_z),  n = tanh(x_n + r ⊙ h_n),  h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * where x_· are slices of {@code x W_ihᵀ + b_ih} and h_· of {@code h W_hhᵀ + b_hh} (so the reset
 * gate multiplies the hidden projection including its bias, as in PyTorch).
 */
public class GRUCell extends Module {
    public final int inputSize, hiddenSize;
    public final boolean bias;
    public final Tensor weightIh, weightHh, biasIh, biasHh;

    @SuppressWarnings("this-escape") // registers its parameters with Module in the constructor, as PyTorch does
    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        Tensor[] w = CellParams.register(this, inputSize, hiddenSize, 3, bias);
        weightIh = w[0];
        weightHh = w[1];
        biasIh = w[2];
        biasHh = w[3];
    }

    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /** The next hidden state; {@code hx} may be null (zeros). */
    public Tensor forward(Tensor input, Tensor hx) {
        CellParams.Batched in = CellParams.batch("GRUCell", input, hx, inputSize, hiddenSize);
        return in.unbatch(step(Linear.linear(in.x(), weightIh, biasIh), Linear.linear(in.h(), weightHh, biasHh), in.h()));
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** One step from the input and hidden projections {@code gi}, {@code gh} (N, 3H), biases included. */
    public static Tensor step(Tensor gi, Tensor gh, Tensor h) {
        List<Tensor> xs = gi.chunk(3, -1);
        List<Tensor> hs = gh.chunk(3, -1);
        Tensor r = xs.get(0).add(hs.get(0)).sigmoid();
        Tensor z = xs.get(1).add(hs.get(1)).sigmoid();
        Tensor n = xs.get(2).add(r.mul(hs.get(2))).tanh();
        // (1 - z) * n + z * h  ==  n + z * (h - n)
        return n.add(z.mul(h.sub(n)));
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
