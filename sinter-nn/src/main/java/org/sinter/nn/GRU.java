package org.sinter.nn;

import org.sinter.Tensor;

/**
 * A multi-layer gated recurrent unit network (PyTorch's {@code nn.GRU}); each step is a
 * {@link GRUCell} with gates in the order r, z, n. See {@link RNNBase} for shapes and parameter
 * names.
 */
public class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize, Options options) {
        super("GRU", 3, inputSize, hiddenSize, options);
    }

    public GRU(int inputSize, int hiddenSize) {
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
        return new Tensor[] {GRUCell.step(gi, gh, h), null};
    }
}
