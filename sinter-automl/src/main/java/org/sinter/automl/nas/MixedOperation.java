package org.sinter.automl.nas;

import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.ModuleList;

/**
 * DARTS' continuous relaxation of one edge: the output is {@code sum_o w_o * o(x)} over every {@link Operation}, with
 * {@code w = softmax(alpha_edge)} given by the caller. The {@code none} operation contributes exactly zero, so it is not
 * computed; its weight still matters through the softmax, which it takes mass from.
 */
public final class MixedOperation extends Module {
    private final ModuleList ops = registerModule("ops", new ModuleList());

    @SuppressWarnings("this-escape") // registers its operations in the constructor, as PyTorch modules do
    public MixedOperation(int channels) {
        for (Operation o : Operation.values()) ops.add(o.build(channels, false));
    }

    /** The mixed output for the weights {@code [Operation.values().length]} (already softmaxed). */
    public Tensor forward(Tensor x, Tensor weights) {
        if (weights.dim() != 1 || weights.size(0) != ops.size())
            throw new IllegalArgumentException("MixedOperation: weights must have shape [" + ops.size() + "], got "
                    + java.util.Arrays.toString(weights.shape()));
        Tensor sum = null;
        Operation[] all = Operation.values();
        for (int i = 0; i < all.length; i++) {
            if (all[i] == Operation.NONE) continue;
            Module op = ops.get(i);
            Tensor term = op.forward(x).mul(weights.select(0, i));
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }

    /** One operation alone (the one-shot supernet's sampled path). */
    public Tensor forward(Tensor x, Operation only) {
        return ops.<Module>get(only.ordinal()).forward(x);
    }
}
