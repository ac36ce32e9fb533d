package org.sinter;

import java.util.Arrays;
import org.sinter.ops.Op;

/** The autograd node of one op call: keeps what the op's backward needs and calls it. */
final class OpNode extends Node implements SavedContext {
    final Op op;
    private Tensor[] inputs;
    private Tensor[] outputs;
    private final int[] inputVersions;
    private int[] outputVersions;
    private final int[][] inputShapes;
    private final DType[] inputDtypes;
    private final boolean[] needsGrad;
    private final int numOutputs;
    private boolean released;
    /** Where the forward op was called, kept in anomaly mode to name the culprit of a NaN. */
    final Throwable creationTrace;

    OpNode(Op op, Tensor[] in, Edge[] next, int numOutputs) {
        super(next);
        this.op = op;
        this.numOutputs = numOutputs;
        int n = in.length;
        inputShapes = new int[n][];
        inputDtypes = new DType[n];
        needsGrad = new boolean[n];
        inputVersions = new int[n];
        for (int i = 0; i < n; i++) {
            inputShapes[i] = in[i].shape;
            inputDtypes[i] = in[i].dtype;
            needsGrad[i] = next[i] != null;
            inputVersions[i] = in[i].storage.version();
        }
        if (op.savesInputs()) {
            inputs = new Tensor[n];
            for (int i = 0; i < n; i++) inputs[i] = in[i].shallowSnapshot();
        }
        creationTrace = AnomalyMode.isEnabled() ? new Throwable("forward call of '" + op.name() + "'") : null;
    }

    /** Called once outputs exist; output references are kept only when backward reads them. */
    void saveOutputs(Tensor[] outs) {
        if (!op.savesOutputs()) return;
        outputs = outs.clone();
        outputVersions = new int[outs.length];
        for (int i = 0; i < outs.length; i++) outputVersions[i] = outs[i].storage.version();
    }

    @Override
    public String name() {
        String n = op.name();
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : n.toCharArray()) {
            if (c == '_') { up = true; continue; }
            sb.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return sb.append("Backward0").toString();
    }

    /** The op this node differentiates. */
    Op op() {
        return op;
    }

    @Override
    int numOutputs() {
        return numOutputs;
    }

    @Override
    Tensor[] apply(Tensor[] gradOutputs, boolean createGraph) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or to read saved tensors "
                    + "after they were freed) at " + name() + ". Pass retainGraph=true to the first backward call "
                    + "if you need to backward twice.");
        }
        try (var _ = GradMode.set(createGraph)) {
            Tensor[] grads = org.sinter.ops.Derivatives.backward(op, this, gradOutputs);
            if (grads.length != inputShapes.length) {
                throw new IllegalStateException(name() + " returned " + grads.length + " gradients for "
                        + inputShapes.length + " inputs");
            }
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] == null || !needsGrad[i]) { grads[i] = null; continue; }
                grads[i] = fitGradient(grads[i], i);
            }
            return grads;
        }
    }

    /** Reduces a gradient computed at a broadcast shape back to the input's shape, and casts it. */
    private Tensor fitGradient(Tensor g, int i) {
        int[] want = inputShapes[i];
        if (!Arrays.equals(g.shape, want)) {
            if (!Shape.broadcastableTo(want, g.shape)) {
                throw new IllegalStateException(name() + ": gradient of input " + i + " has shape "
                        + Arrays.toString(g.shape) + " but the input has shape " + Arrays.toString(want));
            }
            g = g.sumToSize(want);
        }
        if (g.dtype != inputDtypes[i]) g = g.to(inputDtypes[i]);
        return g;
    }

    @Override
    void release() {
        released = true;
        inputs = null;
        outputs = null;
    }

    @Override
    public int numInputs() {
        return inputShapes.length;
    }

    @Override
    public Tensor input(int i) {
        if (inputs == null) {
            if (released) return checkReleased();
            throw new IllegalStateException(op.name() + " declared that its backward reads no inputs, yet it asked for input " + i);
        }
        checkVersion(inputs[i], inputVersions[i], "input " + i);
        return inputs[i];
    }

    @Override
    public Tensor output(int i) {
        if (outputs == null) {
            if (released) return checkReleased();
            throw new IllegalStateException(op.name() + " declared that its backward reads no outputs, yet it asked for output " + i);
        }
        checkVersion(outputs[i], outputVersions[i], "output " + i);
        return outputs[i];
    }

    private Tensor checkReleased() {
        throw new IllegalStateException("Trying to backward through the graph a second time (or to read saved tensors "
                + "after they were freed) at " + name() + ". Pass retainGraph=true to the first backward call.");
    }

    private void checkVersion(Tensor t, int saved, String what) {
        int now = t.storage.version();
        if (now != saved) {
            throw new IllegalStateException("one of the tensors needed for gradient computation has been modified by an "
                    + "in-place operation: " + what + " of '" + op.name() + "' (" + t.dtype.name().toLowerCase() + " "
                    + Arrays.toString(t.shape) + ") is at version " + now + "; expected version " + saved
                    + ". Use an out-of-place op, or clone() the tensor before modifying it.");
        }
    }

    @Override
    public int[] inputShape(int i) {
        return inputShapes[i];
    }

    @Override
    public DType inputDtype(int i) {
        return inputDtypes[i];
    }

    @Override
    public boolean needsInputGrad(int i) {
        return needsGrad[i];
    }
}
