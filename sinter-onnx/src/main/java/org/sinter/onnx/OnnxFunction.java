package org.sinter.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.onnx.ops.NodeContext;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * An ONNX graph as a function of tensors, the form the compiler traces: each node runs its
 * operator's kernel (Sinter tensor ops), so tracing records the graph into the compiler's IR.
 *
 * <p>Nodes whose inputs are all known constants (initializers, Constant nodes, shapes) run at trace
 * time on the CPU with the tracer switched off, and their results stay constants: this is how
 * ONNX's shape arithmetic ({@code Shape → Gather → Concat → Reshape}) becomes the static shapes
 * Sinter compiles, and how weight-only preprocessing folds away before the graph exists.
 */
final class OnnxFunction implements Function<Tensor[], Tensor[]> {
    private final List<NodeProto> nodes;
    private final List<OpRegistry.OpDef> defs;
    private final List<Map<String, AttributeProto>> attributes;
    private final Map<String, Tensor> constants;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final int opset;
    private final Map<String, Integer> declaredTypes;

    OnnxFunction(Map<String, Integer> declaredTypes, List<NodeProto> nodes, List<OpRegistry.OpDef> defs, List<Map<String, AttributeProto>> attributes, Map<String, Tensor> constants,
                 List<String> inputNames, List<String> outputNames, int opset) {
        this.nodes = nodes;
        this.defs = defs;
        this.attributes = attributes;
        this.constants = constants;
        this.inputNames = inputNames;
        this.outputNames = outputNames;
        this.opset = opset;
        this.declaredTypes = declaredTypes;
    }

    @Override
    public Tensor[] apply(Tensor[] in) {
        Map<String, Tensor> env = new HashMap<>(constants);
        for (int i = 0; i < in.length; i++) env.put(inputNames.get(i), in[i]);
        runNodes(nodes, defs, attributes, env, opset, declaredTypes);
        return results(env, outputNames);
    }

    /**
     * Runs {@code nodes} (sorted) in {@code env}, which holds what they may read by name and
     * receives what they define. Control-flow nodes run with the tracer on even when their
     * explicit inputs are known: their sub-graphs may read run-time values of the enclosing scope.
     */
    static void runNodes(List<NodeProto> nodes, List<OpRegistry.OpDef> defs, List<Map<String, AttributeProto>> attributes, Map<String, Tensor> env,
                         int opset, Map<String, Integer> declaredTypes) {
        for (int k = 0; k < nodes.size(); k++) {
            NodeProto node = nodes.get(k);
            Tensor[] args = new Tensor[node.getInputCount()];
            boolean known = !ControlFlowKernels.OPS.contains(node.getOpType());
            for (int i = 0; i < args.length; i++) {
                String name = node.getInput(i);
                if (name.isEmpty()) continue;
                args[i] = env.get(name);
                if (args[i] == null) throw new OnnxException("node '" + node.getName() + "' (" + node.getOpType() + ") reads '" + name + "', which is not defined");
                if (args[i].isMeta()) known = false;
            }
            NodeContext ctx = new NodeContext(node, args, attributes.get(k), opset, declaredTypes, env);
            OpRegistry.OpDef def = defs.get(k);
            Tensor[] outs = GradientOp.is(node)
                    ? run(ctx, known, () -> GradientOp.run(ctx, nodes, defs, attributes, env, opset, declaredTypes))
                    : run(ctx, known, () -> def.kernel().run(ctx));
            if (outs.length < countNamed(node)) {
                throw new UnsupportedOnnxException(ctx.describe() + ": the model reads " + node.getOutputCount() + " outputs, Sinter computes " + outs.length);
            }
            for (int i = 0; i < node.getOutputCount(); i++) {
                if (!node.getOutput(i).isEmpty()) env.put(node.getOutput(i), outs[i]);
            }
        }
    }

    /** The named values of {@code env}; while tracing, one computed from constants alone becomes a traced copy (a graph value). */
    static Tensor[] results(Map<String, Tensor> env, List<String> names) {
        Tensor[] result = new Tensor[names.size()];
        boolean tracing = Dispatch.listener() != null;
        for (int i = 0; i < result.length; i++) {
            Tensor t = env.get(names.get(i));
            if (t == null) throw new OnnxException("output '" + names.get(i) + "' is not defined");
            result[i] = tracing && !t.isMeta() ? t.clone() : t;
        }
        return result;
    }

    private static int countNamed(NodeProto node) {
        int last = 0;
        for (int i = 0; i < node.getOutputCount(); i++) if (!node.getOutput(i).isEmpty()) last = i + 1;
        return last;
    }

    private static Tensor[] run(NodeContext ctx, boolean known, java.util.function.Supplier<Tensor[]> kernel) {
        try {
            if (!known) return kernel.get();
            try (var _ = Dispatch.listen(null)) { // constant folding at import: not part of the traced program
                return kernel.get();
            }
        } catch (OnnxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OnnxException(ctx.describe() + ": " + e.getMessage(), e);
        }
    }
}
