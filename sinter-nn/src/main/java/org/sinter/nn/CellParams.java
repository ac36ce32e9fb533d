package org.sinter.nn;

import org.sinter.Tensor;

/** Parameter registration and input checks shared by the recurrent cells. */
final class CellParams {
    private CellParams() {}

    /** Registers weight_ih, weight_hh, bias_ih, bias_hh for {@code gates} gates, all from U(±1/√hidden). */
    static Tensor[] register(Module m, int inputSize, int hiddenSize, int gates, boolean bias) {
        LayerArgs.nonNegative(m.getClass().getSimpleName(), "input_size", inputSize);
        LayerArgs.nonNegative(m.getClass().getSimpleName(), "hidden_size", hiddenSize);
        Tensor[] w = {
            m.registerParameter("weight_ih", Tensor.empty(gates * hiddenSize, inputSize)),
            m.registerParameter("weight_hh", Tensor.empty(gates * hiddenSize, hiddenSize)),
            m.registerParameter("bias_ih", bias ? Tensor.empty(gates * hiddenSize) : null),
            m.registerParameter("bias_hh", bias ? Tensor.empty(gates * hiddenSize) : null),
        };
        double bound = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
        for (Tensor t : w) if (t != null) Init.uniform_(t, -bound, bound);
        return w;
    }

    /** The input and a state as 2-D batches, remembering whether to drop the batch dimension again. */
    record Batched(Tensor x, Tensor h, boolean unbatched) {
        Tensor unbatch(Tensor t) {
            return unbatched ? t.squeeze(0) : t;
        }
    }

    /** Checks shapes and adds the batch dimension to 1-D inputs; a null state becomes zeros. */
    static Batched batch(String cell, Tensor input, Tensor hx, int inputSize, int hiddenSize) {
        if ((input.dim() != 1 && input.dim() != 2) || input.size(-1) != inputSize) {
            throw new IllegalArgumentException(cell + ": expected input (N, " + inputSize + ") or (" + inputSize + "), got " + input.describe());
        }
        boolean unbatched = input.dim() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        Tensor h = state(cell, hx, x, unbatched, hiddenSize);
        return new Batched(x, h, unbatched);
    }

    static Tensor state(String cell, Tensor hx, Tensor x, boolean unbatched, int hiddenSize) {
        int n = x.size(0);
        if (hx == null) return Tensor.zeros(x.dtype(), n, hiddenSize);
        if (hx.dim() != (unbatched ? 1 : 2) || hx.size(-1) != hiddenSize || (!unbatched && hx.size(0) != n)) {
            throw new IllegalArgumentException(cell + ": expected hidden state " + (unbatched ? "(" + hiddenSize + ")" : "(" + n + ", " + hiddenSize + ")")
                    + ", got " + hx.describe());
        }
        return unbatched ? hx.unsqueeze(0) : hx;
    }
}
