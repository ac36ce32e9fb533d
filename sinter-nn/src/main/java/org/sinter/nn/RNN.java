package org.sinter.nn;

import org.sinter.Tensor;

/**
 * A multi-layer Elman RNN, {@code h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh)} with act
 * tanh or relu (PyTorch's {@code nn.RNN}). See {@link RNNBase} for shapes and parameter names.
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, RNNBase.options().numLayers(2).bidirectional(true));
 * RNNBase.Result r = rnn.forward(x, null);   // r.output(): (L, N, 40), r.hN(): (4, N, 20)
 * }</pre>
 */
public class RNN extends RNNBase {
    public final String nonlinearity;

    public RNN(int inputSize, int hiddenSize, Options options) {
        super("RNN", 1, inputSize, hiddenSize, options);
        if (!options.nonlinearity.equals("tanh") && !options.nonlinearity.equals("relu")) {
            throw new IllegalArgumentException("RNN: unknown nonlinearity '" + options.nonlinearity + "' (expected 'tanh' or 'relu')");
        }
        this.nonlinearity = options.nonlinearity;
    }

    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, options());
    }

    /** Runs the sequence from {@code h0} (null: zeros); returns the output and h_n. */
    public Result forward(Tensor input, Tensor h0) {
        return run(input, h0, null);
    }

    /** The output sequence from zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    @Override
    protected Tensor[] cell(Tensor gi, Tensor gh, Tensor h, Tensor c) {
        return new Tensor[] {RNNCell.step(gi, gh, nonlinearity.equals("relu")), null};
    }
}
