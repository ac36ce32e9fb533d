package org.sinter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Collections;

/**
 * Reverse-mode execution of the autograd graph. Counts each node's dependencies, then runs nodes
 * whose gradients are complete, latest-created first, summing gradients that meet at a node.
 * In {@link #backward} leaves accumulate into {@code .grad}; in {@link #grad} the gradients of
 * the requested inputs are captured and returned instead, and no {@code .grad} is touched.
 */
final class Engine {
    private Engine() {}

    static void backward(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph) {
        run(roots, rootGrads, retainGraph, createGraph, null, false);
    }

    static Tensor[] grad(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                         boolean createGraph, boolean allowUnused) {
        for (Tensor in : inputs) {
            if (!in.requiresGrad) {
                throw new IllegalArgumentException("autograd.grad: one of the inputs (" + in.describe()
                        + ") does not require grad");
            }
        }
        Tensor[] result = run(outputs, gradOutputs, retainGraph, createGraph, inputs, allowUnused);
        return result;
    }

    private static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                                Tensor[] captureInputs, boolean allowUnused) {
        long firstOwnedId = Storage.currentId();
        Set<Storage> userStorages = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, Tensor[]> buffers = new HashMap<>();
        List<Node> starts = new ArrayList<>();
        for (int r = 0; r < roots.length; r++) {
            Tensor root = roots[r];
            if (!root.requiresGrad) {
                throw new IllegalStateException("element " + r + " of tensors does not require grad and does not have a "
                        + "grad_fn (" + root.describe() + ")");
            }
            Tensor g = rootGrads[r];
            if (g == null) {
                if (root.numel() != 1) {
                    throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs; "
                            + "backward on " + root.describe() + " needs an explicit gradient");
                }
                g = Tensor.onesLike(root);
            } else {
                if (!java.util.Arrays.equals(g.shape, root.shape)) {
                    throw new IllegalArgumentException("backward: gradient shape " + java.util.Arrays.toString(g.shape)
                            + " does not match the output shape " + java.util.Arrays.toString(root.shape));
                }
                userStorages.add(g.storage);
            }
            Node node = root.gradFn != null ? root.gradFn : root.accumulator();
            int slot = root.gradFn != null ? root.outputNr : 0;
            addToBuffer(buffers, node, slot, g);
            starts.add(node);
        }

        // Captures for grad(): leaves at their accumulator, non-leaves at (gradFn, outputNr).
        Map<Node, int[]> captureAt = new HashMap<>();
        Tensor[] captured = captureInputs == null ? null : new Tensor[captureInputs.length];
        if (captureInputs != null) {
            for (int i = 0; i < captureInputs.length; i++) {
                Tensor in = captureInputs[i];
                Node n = in.gradFn != null ? in.gradFn : in.accumulator();
                captureAt.merge(n, new int[] {i, in.gradFn != null ? in.outputNr : 0},
                        (a, b) -> { int[] c = java.util.Arrays.copyOf(a, a.length + 2); c[a.length] = b[0]; c[a.length + 1] = b[1]; return c; });
            }
        }

        Map<Node, Integer> deps = countDependencies(starts);
        // Later nodes first, as PyTorch; a leaf's accumulation runs as soon as it is ready (PyTorch
        // gives AccumulateGrad the largest sequence number), so post-accumulate hooks fire while
        // backward goes on: data parallelism starts reducing a gradient then, and fully sharded
        // units free their full parameters, instead of all at the end.
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> {
            boolean la = a instanceof AccumulateGrad, lb = b instanceof AccumulateGrad;
            return la != lb ? (la ? -1 : 1) : Long.compare(b.sequence, a.sequence);
        });
        for (Node s : starts) if (deps.getOrDefault(s, 0) == 0 && !ready.contains(s)) ready.add(s);
        Set<Storage> stolen = Collections.newSetFromMap(new IdentityHashMap<>());

        while (!ready.isEmpty()) {
            Node node = ready.poll();
            Tensor[] grads = buffers.remove(node);
            if (grads == null) grads = new Tensor[node.numOutputs()];
            for (int i = 0; i < grads.length; i++) grads[i] = node.runPreHooks(i, grads[i]);

            int[] cap = captureAt.get(node);
            if (cap != null) {
                for (int k = 0; k < cap.length; k += 2) captured[cap[k]] = grads[cap[k + 1]];
            }
            if (node instanceof AccumulateGrad acc) {
                if (captureInputs == null && grads[0] != null) {
                    Tensor g = acc.runHooks(grads[0]);
                    boolean owned = g.storage.id > firstOwnedId && !userStorages.contains(g.storage)
                            && stolen.add(g.storage);
                    acc.accumulate(g, owned, createGraph);
                    acc.runPostAccumulateHooks();
                }
                continue;
            }
            if (captureInputs != null && cap != null && !reachesCapture(node, captureAt)) {
                if (!retainGraph) node.release();
                continue;
            }
            boolean any = false;
            for (Tensor g : grads) any |= g != null;
            Tensor[] inGrads;
            // Profiling hook: lets the thread's op listener time each backward node.
            Dispatch.OpListener listener = any ? Dispatch.listener() : null;
            Object token = listener == null ? null : listener.onBackwardEnter(node);
            try {
                inGrads = any ? node.apply(grads, createGraph) : new Tensor[node.next.length];
            } finally {
                if (listener != null) listener.onBackwardExit(token, node);
            }
            if (!retainGraph) node.release();
            if (AnomalyMode.isEnabled()) checkAnomaly(node, inGrads);
            for (int i = 0; i < node.next.length; i++) {
                Node.Edge e = node.next[i];
                if (e == null) continue;
                if (inGrads[i] != null) addToBuffer(buffers, e.node(), e.inputNr(), inGrads[i]);
                int left = deps.merge(e.node(), -1, Integer::sum);
                if (left == 0) ready.add(e.node());
            }
        }
        if (captured != null && !allowUnused) {
            for (int i = 0; i < captured.length; i++) {
                if (captured[i] == null) {
                    throw new IllegalStateException("autograd.grad: input " + i + " (" + captureInputs[i].describe()
                            + ") was not used to compute the outputs; pass allowUnused=true to get null for it");
                }
            }
        }
        if (captured != null && !createGraph) {
            for (int i = 0; i < captured.length; i++) if (captured[i] != null) captured[i] = captured[i].detach();
        }
        return captured;
    }

    /** Whether anything upstream of {@code node} (besides itself) is still to be captured. */
    private static boolean reachesCapture(Node node, Map<Node, int[]> captureAt) {
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node.Edge e : node.next) if (e != null && seen.add(e.node())) stack.push(e.node());
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            if (captureAt.containsKey(n)) return true;
            for (Node.Edge e : n.next) if (e != null && seen.add(e.node())) stack.push(e.node());
        }
        return false;
    }

    private static void addToBuffer(Map<Node, Tensor[]> buffers, Node node, int slot, Tensor g) {
        Tensor[] buf = buffers.computeIfAbsent(node, n -> new Tensor[n.numOutputs()]);
        buf[slot] = buf[slot] == null ? g : buf[slot].add(g);
    }

    private static Map<Node, Integer> countDependencies(List<Node> starts) {
        Map<Node, Integer> deps = new HashMap<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
        for (Node s : starts) if (seen.add(s)) stack.push(s);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node.Edge e : n.next) {
                if (e == null) continue;
                deps.merge(e.node(), 1, Integer::sum);
                if (seen.add(e.node())) stack.push(e.node());
            }
        }
        return deps;
    }

    private static void checkAnomaly(Node node, Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null || !g.dtype.isFloatingPoint()) continue;
            boolean bad;
            try (var _ = GradMode.set(false)) {
                bad = g.isfinite().logicalNot().any().item() != 0;
            }
            if (bad) {
                IllegalStateException ex = new IllegalStateException("Function '" + node.name() + "' returned nan or inf values in its "
                        + i + "th output (gradient of input " + i + ", shape " + java.util.Arrays.toString(g.shape) + ")"
                        + (node instanceof OpNode on && on.creationTrace != null ? "; the forward call is in the cause's stack trace" : ""));
                if (node instanceof OpNode on && on.creationTrace != null) ex.initCause(on.creationTrace);
                throw ex;
            }
        }
    }
}
