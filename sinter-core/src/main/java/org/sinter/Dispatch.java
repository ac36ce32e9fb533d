package org.sinter;

import java.util.Arrays;
import org.sinter.backend.Backend;
import org.sinter.backend.Backends;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;
import org.sinter.ops.ViewOp;

/**
 * The single door every tensor-building call goes through: picks the backend from the inputs'
 * device, makes views from their geometry and hands every other op to the backend with autograd
 * off, records the autograd node when an input requires grad, and tells the installed
 * {@link OpListener} (tracer, profiler) about top-level calls. This is what makes operators data.
 *
 * <p>With {@code -Dsinter.checkMeta=true} (the test suites set it) every op run on a real backend
 * is also checked against its meta function: the outputs' shapes and dtypes must be those the
 * meta function predicts, so the meta backend (what a tracer runs on) cannot drift from the kernels.
 */
public final class Dispatch {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static final ThreadLocal<OpListener> LISTENER = new ThreadLocal<>();
    private static final boolean CHECK_META = Boolean.getBoolean("sinter.checkMeta");

    private Dispatch() {}

    /** Observes op calls made on this thread (top level only: not the ops an op's forward uses). */
    public interface OpListener {
        /**
         * Called before forward; the returned token is handed back to {@link #onExit}. The listener
         * may replace entries of {@code inputs} (a private copy) with tensors of the same shape and
         * dtype, and the op runs on them: a tracer puts meta twins in place of the CPU constants a
         * traced function builds.
         */
        default Object onEnter(Op op, Tensor[] inputs) { return null; }

        void onExit(Object token, Op op, Tensor[] inputs, Tensor[] outputs);

        /**
         * Called by the autograd engine before it runs {@code node}'s backward on this thread (for
         * profilers: the ops the backward calls are reported in between, as top-level calls).
         * The returned token is handed back to {@link #onBackwardExit}, which runs even when the
         * backward throws.
         */
        default Object onBackwardEnter(Node node) { return null; }

        default void onBackwardExit(Object token, Node node) {}
    }

    /** The listener installed on this thread, or null (lets a new listener chain to the old one). */
    public static OpListener listener() {
        return LISTENER.get();
    }

    /** Installs a listener on this thread; returns a scope that restores the previous one. */
    public static GradMode.Scope listen(OpListener listener) {
        OpListener prev = LISTENER.get();
        LISTENER.set(listener);
        return () -> LISTENER.set(prev);
    }

    /** Runs an op and returns its single output. */
    public static Tensor apply1(Op op, Tensor... inputs) {
        return apply(op, inputs)[0];
    }

    /** Runs an op: forward, autograd recording, listeners. */
    public static Tensor[] apply(Op op, Tensor... inputs) {
        int[] depth = DEPTH.get();
        OpListener listener = depth[0] == 0 ? LISTENER.get() : null;
        if (listener != null) inputs = inputs.clone();
        Object token = listener == null ? null : listener.onEnter(op, inputs);
        Tensor[] outs;
        depth[0]++;
        try (var _ = GradMode.set(false)) {
            outs = execute(op, inputs);
        } finally {
            depth[0]--;
        }
        if (op.isView()) {
            Tensor base = inputs[0].viewBase != null ? inputs[0].viewBase : inputs[0];
            for (Tensor o : outs) if (o.storage == base.storage) o.viewBase = base;
        }
        if (GradMode.isEnabled() && op.differentiable() && anyRequiresGrad(inputs)) {
            OpNode node = new OpNode(op, inputs, edges(inputs), outs.length);
            for (int i = 0; i < outs.length; i++) {
                if (outs[i].dtype.isFloatingPoint()) {
                    outs[i].gradFn = node;
                    outs[i].outputNr = i;
                    outs[i].requiresGrad = true;
                }
            }
            node.saveOutputs(outs);
        }
        if (listener != null) listener.onExit(token, op, inputs, outs);
        return outs;
    }

    /**
     * Runs an elementwise op in place on {@code inputs[0]}: the result is written into it, its
     * version is bumped, and autograd re-bases it onto the new node (PyTorch's {@code add_}).
     */
    public static Tensor applyInPlace(InPlaceOp op, Tensor... inputs) {
        Tensor self = inputs[0];
        boolean record = GradMode.isEnabled() && op.differentiable() && anyRequiresGrad(inputs);
        if (GradMode.isEnabled() && self.requiresGrad && self.isLeaf()) {
            throw new IllegalStateException(op.name() + "_: a leaf tensor that requires grad (" + self.describe()
                    + ") is used in an in-place operation; wrap it in Sinter.noGrad() or use the out-of-place op");
        }
        if (record && self.viewBase != null && (self.viewBase.requiresGrad || self.requiresGrad)) {
            throw new UnsupportedOperationException(op.name() + "_: in-place operation on a view of a tensor that "
                    + "requires grad is not supported; use the out-of-place op");
        }
        if (record && !self.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op.name() + "_: result requires grad but " + self.describe()
                    + " is not floating point");
        }
        int[] depth = DEPTH.get();
        OpListener listener = depth[0] == 0 ? LISTENER.get() : null;
        if (listener != null) inputs = inputs.clone();
        Object token = listener == null ? null : listener.onEnter(op, inputs);
        OpNode node = null;
        if (record) {
            // Backward formulas that read self need its value from before the write: save a copy.
            Tensor[] saved = inputs;
            if (op.savesInputs()) {
                saved = inputs.clone();
                saved[0] = self.clone();
            }
            node = new OpNode(op, saved, edges(inputs), 1);
        }
        depth[0]++;
        try (var _ = GradMode.set(false)) {
            checkElementCounts(op, inputs);
            checkInPlaceResult(op, inputs);
            Backends.of(Backends.deviceOf(op, inputs)).executeInPlace(op, withoutOverlap(op, inputs));
        } finally {
            depth[0]--;
        }
        self.storage.bumpVersion();
        if (node != null) {
            self.gradFn = node;
            self.outputNr = 0;
            self.requiresGrad = true;
            node.saveOutputs(new Tensor[] {self});
        }
        if (listener != null) listener.onExit(token, op, inputs, new Tensor[] {self});
        return self;
    }

    /** Views from geometry on any device; every other op on its device's backend. */
    private static Tensor[] execute(Op op, Tensor[] inputs) {
        Backend backend = Backends.of(Backends.deviceOf(op, inputs));
        if (op instanceof ViewOp v) {
            Tensor x = inputs[0];
            ViewOp.Geometry g = v.geometry(x.shape(), x.stride(), x.storageOffset());
            Shape.checkGeometry(op.name(), g.shape(), g.strides(), g.offset(), x.storage.length);
            return new Tensor[] {Tensor.viewOf(x, g.shape(), g.strides(), g.offset())};
        }
        if (op instanceof org.sinter.ops.Custom) return backend.execute(op, inputs);
        // The meta function checks the arguments on every backend, so errors read the same everywhere.
        checkElementCounts(op, inputs);
        TensorSpec[] specs = backend.device().type() == Device.Type.META ? null : op.meta(inputs);
        Tensor[] outs = backend.execute(op, inputs);
        if (CHECK_META && specs != null) checkMeta(op, specs, inputs, outs);
        return outs;
    }

    /** Kernels index with ints: a broadcast view addressing more elements than a tensor holds is refused here, clearly. */
    private static void checkElementCounts(Op op, Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t.numel() > Shape.MAX_ELEMENTS) Shape.checkElements(op.name() + ": input " + t.describe(), t.numel());
        }
    }

    /** The result of an in-place op must have self's shape and a dtype that casts to self's. */
    private static void checkInPlaceResult(InPlaceOp op, Tensor[] inputs) {
        Tensor self = inputs[0];
        TensorSpec r = op.meta(inputs)[0];
        if (!Arrays.equals(r.shape(), self.shape)) {
            throw new IllegalArgumentException(op.name() + "_: output with shape " + Arrays.toString(self.shape)
                    + " doesn't match the broadcast shape " + Arrays.toString(r.shape()));
        }
        if (r.dtype().kind().ordinal() > self.dtype.kind().ordinal()) {
            throw new IllegalArgumentException(op.name() + "_: result type " + r.dtype().name() + " can't be cast to the desired output type "
                    + self.dtype.name() + " of " + self.describe());
        }
    }

    /**
     * Refuses an in-place write whose result would depend on the kernel's visiting order, and
     * returns the inputs with those that may share memory with the written tensor replaced by
     * copies (see {@link MemoryOverlap}).
     */
    private static Tensor[] withoutOverlap(InPlaceOp op, Tensor[] inputs) {
        Tensor self = inputs[0];
        String name = op.name() + "_";
        // fill_ writes one value everywhere: aliased elements agree whatever the order (PyTorch allows it too).
        if (!(op instanceof org.sinter.ops.ShapeOps.Fill) && MemoryOverlap.hasInternalOverlap(self)) {
            throw new IllegalArgumentException(MemoryOverlap.internalOverlapMessage(name));
        }
        Tensor[] safe = inputs;
        for (int i = 1; i < inputs.length; i++) {
            switch (MemoryOverlap.relation(self, inputs[i])) {
                case DISJOINT, SAME -> {}
                case PARTIAL -> throw new IllegalArgumentException(MemoryOverlap.partialOverlapMessage(name));
                case MAY_OVERLAP -> {
                    if (safe == inputs) safe = inputs.clone();
                    safe[i] = inputs[i].clone();
                }
            }
        }
        return safe;
    }

    /** Refuses an update that writes a self-overlapping tensor or one sharing memory with another input. */
    private static void checkUpdateOverlap(org.sinter.ops.UpdateOp op, Tensor[] inputs, int[] written) {
        for (int w : written) {
            if (MemoryOverlap.hasInternalOverlap(inputs[w])) throw new IllegalArgumentException(MemoryOverlap.internalOverlapMessage(op.name()));
            for (int i = 0; i < inputs.length; i++) {
                if (i != w && MemoryOverlap.relation(inputs[w], inputs[i]) != MemoryOverlap.Relation.DISJOINT) {
                    throw new IllegalArgumentException(MemoryOverlap.partialOverlapMessage(op.name()));
                }
            }
        }
    }

    private static void checkMeta(Op op, TensorSpec[] specs, Tensor[] inputs, Tensor[] outs) {
        boolean ok = specs.length == outs.length;
        for (int i = 0; ok && i < outs.length; i++) ok = specs[i].dtype() == outs[i].dtype && Arrays.equals(specs[i].shape(), outs[i].shape);
        if (!ok) {
            StringBuilder got = new StringBuilder();
            for (Tensor o : outs) got.append(got.isEmpty() ? "" : ", ").append(o.dtype.torchName()).append(Arrays.toString(o.shape));
            throw new IllegalStateException(Op.describe(op) + ": the meta function predicts " + Arrays.toString(specs)
                    + " but the kernels produced [" + got + "] for inputs " + shapes(inputs));
        }
    }

    /**
     * Runs an op that writes some of its inputs and returns nothing (fused optimizer steps, random
     * fills): devices and arguments are checked, the written tensors' versions are bumped.
     */
    public static void applyUpdate(org.sinter.ops.UpdateOp op, Tensor... inputs) {
        int[] written = op.written(inputs.length);
        if (GradMode.isEnabled()) {
            for (int i : written) {
                if (inputs[i].requiresGrad) {
                    throw new IllegalStateException(op.name() + ": " + inputs[i].describe() + " requires grad and would be written in place; "
                            + "run it inside Sinter.noGrad()");
                }
            }
        }
        int[] depth = DEPTH.get();
        OpListener listener = depth[0] == 0 ? LISTENER.get() : null;
        if (listener != null) inputs = inputs.clone();
        Object token = listener == null ? null : listener.onEnter(op, inputs);
        depth[0]++;
        try (var _ = GradMode.set(false)) {
            checkElementCounts(op, inputs);
            op.meta(inputs);
            checkUpdateOverlap(op, inputs, written);
            Backends.of(Backends.deviceOf(op, inputs)).execute(op, inputs);
        } finally {
            depth[0]--;
        }
        for (int i : written) inputs[i].storage.bumpVersion();
        if (listener != null) listener.onExit(token, op, inputs, new Tensor[0]);
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) if (t.requiresGrad) return true;
        return false;
    }

    private static Node.Edge[] edges(Tensor[] inputs) {
        Node.Edge[] e = new Node.Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (!t.requiresGrad) continue;
            e[i] = t.gradFn != null ? new Node.Edge(t.gradFn, t.outputNr) : new Node.Edge(t.accumulator(), 0);
        }
        return e;
    }

    static String shapes(Tensor... ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) sb.append(sb.isEmpty() ? "" : ", ").append(Arrays.toString(t.shape));
        return sb.toString();
    }
}
