package org.sinter.compress.quant.nn;

import org.sinter.Tensor;
import org.sinter.nn.LSTM;
import org.sinter.nn.LSTMCell;
import org.sinter.nn.RNNBase;

/** Dynamically quantized LSTM (PyTorch's {@code nn.quantized.dynamic.LSTM}); see {@link DynamicQuantizedRecurrence}. */
public final class DynamicQuantizedLSTM extends DynamicQuantizedRecurrence {
    public DynamicQuantizedLSTM(LSTM lstm) {
        super(lstm);
    }

    /** Runs the sequence from (h0, c0) (either null: zeros); returns the output, h_n and c_n, as {@link LSTM#forward(Tensor, Tensor, Tensor)}. */
    public RNNBase.Result forward(Tensor input, Tensor h0, Tensor c0) {
        return run(input, h0, c0, (gi, gh, h, c) -> LSTMCell.step(gi, gh, c));
    }

    /** The output sequence from zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null, null).output();
    }
}
