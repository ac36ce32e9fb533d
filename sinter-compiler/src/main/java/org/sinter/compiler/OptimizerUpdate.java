package org.sinter.compiler;

import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.SavedContext;
import org.sinter.ops.Custom;
import org.sinter.ops.TensorSpec;
import org.sinter.optim.Optimizer;

/**
 * The optimizer update as the last node of a compiled training graph (as ONNX Runtime Training
 * puts its fused optimizer ops in the graph): it reads every trained parameter and the gradient the
 * graph computed for it, hands the gradients to the parameters ({@code .grad}, no copy) and runs the
 * optimizer's own step, so the update is exactly the eager optimizer's (its fused kernels, its
 * state, the learning rate its scheduler set for this step). The node has no outputs; it writes
 * the parameters and the optimizer state in place. Its inputs are the parameters, then the
 * gradients, in {@code params} order.
 */
final class OptimizerUpdate implements Custom.Impl {
    private final Optimizer optimizer;
    private final List<Tensor> params;

    private final java.util.Set<Tensor> trained = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    OptimizerUpdate(Optimizer optimizer, List<Tensor> params) {
        this.optimizer = optimizer;
        this.params = List.copyOf(params);
        trained.addAll(params);
    }

    @Override public String name() { return "optimizer_step"; }

    @Override
    public Map<String, Object> attributes() {
        return Map.of("optimizer", optimizer.getClass().getSimpleName(), "parameters", params.size());
    }

    @Override
    public TensorSpec[] meta(Tensor... inputs) {
        if (inputs.length != 2 * params.size()) {
            throw new IllegalArgumentException("optimizer_step: expected " + params.size() + " parameters and their gradients, got "
                    + inputs.length + " inputs");
        }
        for (int i = 0; i < params.size(); i++) {
            if (!java.util.Arrays.equals(inputs[i].shape(), inputs[params.size() + i].shape())) {
                throw new IllegalArgumentException("optimizer_step: parameter " + i + " " + inputs[i].describe() + " and its gradient "
                        + inputs[params.size() + i].describe() + " differ in shape");
            }
        }
        return new TensorSpec[0];
    }

    @Override
    public Tensor[] forward(Tensor... inputs) {
        int n = params.size();
        java.util.Set<Tensor> handed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int i = 0; i < n; i++) {
            Tensor g = inputs[n + i];
            // Each parameter owns its .grad: a gradient the graph shares between two (after CSE) is copied.
            if (!g.isContiguous() || !handed.add(g)) g = g.clone();
            params.get(i).setGrad(g);
        }
        // Parameters the optimizer holds but the graph does not train step with no gradient (as after zeroGrad).
        optimizer.paramGroups().forEach(group -> group.params().forEach(p -> {
            if (!trained.contains(p)) p.setGrad(null);
        }));
        optimizer.step();
        return new Tensor[0];
    }

    @Override
    public Tensor[] backward(SavedContext ctx, Tensor... grads) {
        throw new UnsupportedOperationException("optimizer_step: an optimizer update has no gradient");
    }
}
