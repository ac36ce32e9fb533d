package org.sinter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A node of the autograd graph: a function from the gradients of its outputs to the gradients of
 * its inputs, with one edge per input pointing at the node that produced that input (or at the
 * leaf's gradient accumulator). {@link Tensor#gradFn()} returns the node that produced a tensor.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** An edge: input {@code inputNr} of {@code node} receives this gradient. */
    record Edge(Node node, int inputNr) {}

    /** Creation order; the engine runs later nodes first, as PyTorch does. */
    final long sequence = SEQUENCE.incrementAndGet();
    final Edge[] next;
    private List<UnaryOperator<Tensor>>[] preHooks;

    Node(Edge[] next) {
        this.next = next;
    }

    /** The function's name, e.g. {@code MulBackward}. */
    public abstract String name();

    /** Number of outputs of the forward call (gradients this node receives). */
    abstract int numOutputs();

    /** Gradients of the inputs from the gradients of the outputs; called by the engine. */
    abstract Tensor[] apply(Tensor[] gradOutputs, boolean createGraph);

    /** Drops saved tensors after a backward pass that did not ask to retain the graph. */
    void release() {}

    /** The nodes this one sends gradients to (null entries for inputs that need none). */
    public List<Node> nextFunctions() {
        List<Node> out = new ArrayList<>(next.length);
        for (Edge e : next) out.add(e == null ? null : e.node());
        return out;
    }

    /**
     * For the sink node of a leaf (PyTorch's {@code AccumulateGrad.variable}): the leaf it
     * accumulates into; null for every other node. Lets a graph walk find the parameters an
     * output depends on.
     */
    public Tensor variable() {
        return null;
    }

    /** Hooks run on the gradient of output {@code outputNr} before this node uses it. */
    @SuppressWarnings("unchecked")
    void addPreHook(int outputNr, UnaryOperator<Tensor> hook) {
        if (preHooks == null) preHooks = (List<UnaryOperator<Tensor>>[]) new List<?>[numOutputs()];
        if (preHooks[outputNr] == null) preHooks[outputNr] = new ArrayList<>();
        preHooks[outputNr].add(hook);
    }

    void removePreHook(int outputNr, UnaryOperator<Tensor> hook) {
        if (preHooks != null && preHooks[outputNr] != null) preHooks[outputNr].remove(hook);
    }

    Tensor runPreHooks(int outputNr, Tensor grad) {
        if (preHooks == null || preHooks[outputNr] == null || grad == null) return grad;
        for (UnaryOperator<Tensor> h : List.copyOf(preHooks[outputNr])) {
            Tensor r = h.apply(grad);
            if (r != null) grad = r;
        }
        return grad;
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
