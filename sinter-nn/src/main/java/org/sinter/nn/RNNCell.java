package org.sinter.nn;

import org.sinter.Tensor;

/**
 * One step of an Elman RNN, {@code h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)} with act tanh or
 * relu (PyTorch's {@code nn.RNNCell}). Input (N, in) or (in); hidden (N, hidden) or (hidden),
 * zeros when null.
 */
public class RNNCell extends Module {
    public final int inputSize, hiddenSize;
    public final boolean bias;
    public final String nonlinearity;
    public final Tensor weightIh, weightHh, biasIh, biasHh;

    @SuppressWarnings("this-escape") // registers its parameters with Module in the constructor, as PyTorch does
    public RNNCell(int inputSize, int hiddenSize, boolean bias, String nonlinearity) {
        if (!nonlinearity.equals("tanh") && !nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("RNNCell: unknown nonlinearity '" + nonlinearity + "' (expected 'tanh' or 'relu')");
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.nonlinearity = nonlinearity;
        Tensor[] w = CellParams.register(this, inputSize, hiddenSize, 1, bias);
        weightIh = w[0];
        weightHh = w[1];
        biasIh = w[2];
        biasHh = w[3];
    }

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, "tanh");
    }

    /** The next hidden state; {@code hx} may be null (zeros). */
    public Tensor forward(Tensor input, Tensor hx) {
        CellParams.Batched in = CellParams.batch("RNNCell", input, hx, inputSize, hiddenSize);
        Tensor h = step(Linear.linear(in.x(), weightIh, biasIh), Linear.linear(in.h(), weightHh, biasHh), nonlinearity.equals("relu"));
        return in.unbatch(h);
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null);
    }

    /** {@code act(gi + gh)}, from the input and hidden projections, biases included. */
    public static Tensor step(Tensor gi, Tensor gh, boolean relu) {
        Tensor pre = gi.add(gh);
        return relu ? pre.relu() : pre.tanh();
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False") + (nonlinearity.equals("tanh") ? "" : ", nonlinearity=" + nonlinearity);
    }
}
