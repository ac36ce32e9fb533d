package org.sinter.nn;

import org.sinter.Tensor;

/**
 * A multi-layer long short-term memory network (PyTorch's {@code nn.LSTM}); each step is an
 * {@link LSTMCell} with gates in the order i, f, g, o. See {@link RNNBase} for shapes and
 * parameter names; the cell state c has the shape of h.
 */
public class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize, Options options) {
        super("LSTM", 4, inputSize, hiddenSize, options);
    }

    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, options());
    }

    /** Runs the sequence from (h0, c0) (either null: zeros); returns the output, h_n and c_n. */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0);
    }

    /** The output sequence from zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return run(input, null, null).output();
    }

    @Override
    protected boolean hasCellState() {
        return true;
    }

    @Override
    protected Tensor[] cell(Tensor gi, Tensor gh, Tensor h, Tensor c) {
        return LSTMCell.step(gi, gh, c);
    }
}
