package org.sinter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The sink node of a leaf tensor that requires grad: adds incoming gradients into {@code leaf.grad()}. */
final class AccumulateGrad extends Node {
    final Tensor leaf;
    final List<UnaryOperator<Tensor>> hooks = new ArrayList<>();
    /** Run after the gradient was added into {@code leaf.grad()} (PyTorch's post-accumulate-grad hooks). */
    final List<Consumer<Tensor>> postAccumulateHooks = new ArrayList<>();

    AccumulateGrad(Tensor leaf) {
        super(new Edge[0]);
        this.leaf = leaf;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    @Override
    int numOutputs() {
        return 1;
    }

    /** Runs the leaf's hooks; returns the gradient that is to be accumulated. */
    Tensor runHooks(Tensor g) {
        for (UnaryOperator<Tensor> h : List.copyOf(hooks)) {
            Tensor r = h.apply(g);
            if (r != null) g = r;
        }
        return g;
    }

    /** The leaf this node accumulates into. */
    @Override
    public Tensor variable() {
        return leaf;
    }

    /** Runs the post-accumulate hooks with the leaf, whose {@code grad()} now holds the sum. */
    void runPostAccumulateHooks() {
        for (Consumer<Tensor> h : List.copyOf(postAccumulateHooks)) h.accept(leaf);
    }

    @Override
    Tensor[] apply(Tensor[] gradOutputs, boolean createGraph) {
        throw new IllegalStateException("AccumulateGrad is run by the engine");
    }

    /**
     * Adds {@code g} into the leaf's gradient. {@code owned} says the engine allocated g during
     * this pass and hands it over, so it may become {@code .grad} without a copy.
     */
    void accumulate(Tensor g, boolean owned, boolean createGraph) {
        Tensor cur = leaf.grad;
        if (cur == null) {
            if (createGraph) leaf.grad = g;
            else if (owned && g.isContiguous() && g.storage.length == g.numel()) leaf.grad = g.detach();
            else leaf.grad = g.detach().contiguousCopy();
        } else if (createGraph || GradMode.isEnabled() && cur.requiresGrad()) {
            leaf.grad = cur.add(g);
        } else {
            try (var _ = GradMode.set(false)) {
                cur.add_(g);
            }
        }
    }
}
