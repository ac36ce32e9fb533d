package org.sinter;

import java.util.List;

/** Functional autograd (PyTorch's {@code torch.autograd.grad}): gradients returned, not accumulated. */
public final class Autograd {
    private Autograd() {}

    /**
     * The gradients of {@code outputs} with respect to {@code inputs}. {@code gradOutputs} may be
     * null (all outputs scalar) or hold null entries for scalar outputs. With {@code createGraph}
     * the result is itself differentiable (higher-order derivatives).
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Tensor[] outs = outputs.toArray(new Tensor[0]);
        Tensor[] gos = new Tensor[outs.length];
        if (gradOutputs != null) {
            if (gradOutputs.size() != outs.length) {
                throw new IllegalArgumentException("grad: " + gradOutputs.size() + " gradOutputs for " + outs.length + " outputs");
            }
            for (int i = 0; i < outs.length; i++) gos[i] = gradOutputs.get(i);
        }
        Tensor[] r = Engine.grad(outs, gos, inputs.toArray(new Tensor[0]), retainGraph || createGraph, createGraph, allowUnused);
        return java.util.Arrays.asList(r);
    }

    /** Gradient of one scalar output with respect to the inputs. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }
}
