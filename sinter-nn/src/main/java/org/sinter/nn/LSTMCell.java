package org.sinter.nn;

import java.util.List;
import org.sinter.Tensor;

/**
 * One step of a long short-term memory cell (PyTorch's {@code nn.LSTMCell}). Gates in PyTorch's
 * order i, f, g, o along the rows of the weights:
 * <pre>
 * i = σ(·), f = σ(·), g = tanh(·), o = σ(·)      (each · = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh, sliced)
 * c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
 * </pre>
 */
public class LSTMCell extends Module {
    public final int inputSize, hiddenSize;
    public final boolean bias;
    public final Tensor weightIh, weightHh, biasIh, biasHh;

    /** The hidden and cell state of an LSTM. */
    public record State(Tensor h, Tensor c) {}

    @SuppressWarnings("this-escape") // registers its parameters with Module in the constructor, as PyTorch does
    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        Tensor[] w = CellParams.register(this, inputSize, hiddenSize, 4, bias);
        weightIh = w[0];
        weightHh = w[1];
        biasIh = w[2];
        biasHh = w[3];
    }

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    /** The next (h, c); {@code state} may be null (zeros). */
    public State forward(Tensor input, State state) {
        CellParams.Batched in = CellParams.batch("LSTMCell", input, state == null ? null : state.h(), inputSize, hiddenSize);
        Tensor c = CellParams.state("LSTMCell", state == null ? null : state.c(), in.x(), in.unbatched(), hiddenSize);
        Tensor[] hc = step(Linear.linear(in.x(), weightIh, biasIh), Linear.linear(in.h(), weightHh, biasHh), c);
        return new State(in.unbatch(hc[0]), in.unbatch(hc[1]));
    }

    /** The next hidden state only, from zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).h();
    }

    /** One step from the input and hidden projections {@code gi}, {@code gh} (N, 4H), biases included; returns {h', c'}. */
    public static Tensor[] step(Tensor gi, Tensor gh, Tensor c) {
        List<Tensor> g = gi.add(gh).chunk(4, -1);
        Tensor i = g.get(0).sigmoid(), f = g.get(1).sigmoid(), cand = g.get(2).tanh(), o = g.get(3).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(cand));
        return new Tensor[] {o.mul(c2.tanh()), c2};
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
