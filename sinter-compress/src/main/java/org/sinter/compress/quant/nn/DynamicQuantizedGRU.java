package org.sinter.compress.quant.nn;

import org.sinter.Tensor;
import org.sinter.nn.GRU;
import org.sinter.nn.GRUCell;
import org.sinter.nn.RNNBase;

/** Dynamically quantized GRU (PyTorch's {@code nn.quantized.dynamic.GRU}); see {@link DynamicQuantizedRecurrence}. */
public final class DynamicQuantizedGRU extends DynamicQuantizedRecurrence {
    public DynamicQuantizedGRU(GRU gru) {
        super(gru);
    }

    /** Runs the sequence from h0 (null: zeros); returns the output and h_n, as {@link GRU#forward(Tensor, Tensor)}. */
    public RNNBase.Result forward(Tensor input, Tensor h0) {
        return run(input, h0, null, (gi, gh, h, c) -> new Tensor[] {GRUCell.step(gi, gh, h), null});
    }

    /** The output sequence from zero state. */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }
}
