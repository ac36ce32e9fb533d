package org.sinter.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.Autograd;
import org.sinter.GradMode;
import org.sinter.Tensor;
import org.sinter.onnx.ops.NodeContext;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * ONNX's {@code ai.onnx.preview.training.Gradient}: the derivatives of the graph's value {@code y}
 * with respect to the values named in {@code xs}, holding those in {@code zs} fixed. Its inputs are
 * the values of {@code xs} then {@code zs}; its outputs the gradients, one per {@code xs} entry, each
 * of its x's shape.
 *
 * <p>The node names values of the graph it sits in, so it is not a kernel of its inputs: it takes the
 * nodes before it that compute {@code y} from {@code xs} and {@code zs} (the slice), runs them again on
 * its inputs with autograd recording, the xs as leaves, and asks the engine's autograd for the
 * gradients. Under the compiler's tracer the backward ops are recorded like any others (as for
 * compiled training), so the gradient is part of the compiled graph and uses the engine's one
 * derivatives table; CSE merges the slice's repeated forward with the original. A {@code y} with
 * more than one element is seeded with ones (the gradient of its sum), as {@code y.backward(ones)}.
 * Values the slice reads that are neither xs nor zs (initializers, other graph inputs) are held
 * fixed.
 */
public final class GradientOp {
    static final String OP_TYPE = OpRegistry.TRAINING_DOMAIN + ".Gradient";

    private GradientOp() {}

    /** Registers the operator for the load-time check; it runs only inside a graph runner ({@link #run}), which holds the slice. */
    public static void register(OpRegistry r) {
        r.add(OP_TYPE, n -> {
            throw n.unsupported("Gradient where its graph's nodes are not at hand (a graph with sequences or optionals)");
        }, "xs", "zs", "y");
    }

    static boolean is(NodeProto node) {
        return node.getOpType().equals("Gradient") && node.getDomain().equals(OpRegistry.TRAINING_DOMAIN);
    }

    /**
     * Runs Gradient node {@code ctx} of a graph whose nodes (sorted, with their definitions and
     * attributes) are {@code nodes}, in {@code env}. The sort sees only explicit inputs, so the slice
     * may come after the Gradient node in it: the slice is run here, on the node's inputs.
     */
    static Tensor[] run(NodeContext ctx, List<NodeProto> nodes, List<OpRegistry.OpDef> defs, List<Map<String, AttributeProto>> attributes,
                        Map<String, Tensor> env, int opset, Map<String, Integer> declaredTypes) {
        List<String> xs = ctx.attrStrings("xs");
        List<String> zs = ctx.attrStrings("zs");
        String y = ctx.attrString("y", null);
        if (xs.isEmpty()) throw ctx.error("attribute 'xs' (the values to differentiate with respect to) is required");
        if (y == null || y.isEmpty()) throw ctx.error("attribute 'y' (the value to differentiate) is required");
        if (ctx.inputCount() != xs.size() + zs.size()) {
            throw ctx.error("takes the values of xs then zs (" + (xs.size() + zs.size()) + " inputs), got " + ctx.inputCount());
        }
        if (ctx.outputCount() > xs.size()) throw ctx.error("has " + ctx.outputCount() + " outputs for " + xs.size() + " xs");
        Set<String> fed = new HashSet<>(xs);
        fed.addAll(zs);
        if (fed.size() != xs.size() + zs.size()) throw ctx.error("xs and zs must name distinct values, got xs " + xs + ", zs " + zs);

        List<Integer> slice = slice(ctx, nodes, fed, y);
        Map<String, Tensor> local = new HashMap<>(env);
        List<Tensor> leaves = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = ctx.in(i);
            if (!x.dtype().isFloatingPoint()) throw ctx.error("xs[" + i + "] '" + xs.get(i) + "' must be floating point to differentiate, got " + x.describe());
            Tensor leaf = x.detach().requiresGrad(true);
            leaves.add(leaf);
            local.put(xs.get(i), leaf);
        }
        for (int j = 0; j < zs.size(); j++) local.put(zs.get(j), ctx.in(xs.size() + j).detach());

        Tensor target;
        List<Tensor> grads;
        try (var _ = GradMode.set(true)) {
            OnnxFunction.runNodes(slice.stream().map(nodes::get).toList(), slice.stream().map(defs::get).toList(),
                    slice.stream().map(attributes::get).toList(), local, opset, declaredTypes);
            target = local.get(y);
            if (!target.dtype().isFloatingPoint()) throw ctx.error("y '" + y + "' must be floating point to differentiate, got " + target.describe());
            if (!target.requiresGrad()) {
                grads = new ArrayList<>();
                for (int i = 0; i < xs.size(); i++) grads.add(null); // y does not depend on any x
            } else {
                grads = Autograd.grad(List.of(target), leaves, List.of(Tensor.ones(target.dtype(), target.shape())), false, false, true);
            }
        }
        Tensor[] out = new Tensor[ctx.outputCount()];
        for (int i = 0; i < out.length; i++) {
            Tensor g = grads.get(i);
            out[i] = g != null ? g : Tensor.zeros(leaves.get(i).dtype(), leaves.get(i).shape());
        }
        return out;
    }

    /**
     * The positions in {@code nodes} of the nodes that compute {@code y} from the fed values, in
     * graph order: walking back from y, stopping at fed values and at values no node makes
     * (initializers, graph inputs, an enclosing graph's values).
     */
    private static List<Integer> slice(NodeContext ctx, List<NodeProto> nodes, Set<String> fed, String y) {
        Map<String, Integer> producer = new HashMap<>();
        for (int k = 0; k < nodes.size(); k++) {
            for (String o : nodes.get(k).getOutputList()) if (!o.isEmpty()) producer.put(o, k);
        }
        if (!fed.contains(y) && !producer.containsKey(y)) throw ctx.error("y '" + y + "' is not computed by any node of its graph");
        Set<Integer> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(y));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (fed.contains(v)) continue;
            Integer k = producer.get(v);
            if (k == null || !needed.add(k)) continue;
            if (is(nodes.get(k))) throw ctx.error("y '" + y + "' depends on another Gradient node's output ('" + nodes.get(k).getName() + "'): not supported");
            for (String in : nodes.get(k).getInputList()) if (!in.isEmpty()) todo.push(in);
        }
        return needed.stream().sorted().toList();
    }
}
