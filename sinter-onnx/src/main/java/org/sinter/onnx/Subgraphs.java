package org.sinter.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.Tensor;
import org.sinter.onnx.ops.NodeContext;
import org.sinter.onnx.ops.OpRegistry;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/**
 * The sub-graphs of {@code If}, {@code Loop} and {@code Scan}: a body runs like the main graph
 * (each node's kernel, constants folded) in a scope that holds its own inputs and initializers on
 * top of every value of the enclosing graphs, which ONNX lets a body read by name.
 */
final class Subgraphs {
    private Subgraphs() {}

    /** A body prepared once: its nodes sorted, operators looked up, initializers decoded. */
    record Body(GraphProto graph, List<NodeProto> nodes, List<OpRegistry.OpDef> defs, List<Map<String, AttributeProto>> attrs,
                Map<String, Tensor> initializers, List<String> inputs, List<String> outputs) {}

    static Body prepare(GraphProto g, Set<String> outer, NodeContext owner) {
        String where = owner.describe() + " body '" + g.getName() + "'";
        List<NodeProto> nodes = GraphChecker.sortedNodes(g, where, outer);
        List<OpRegistry.OpDef> defs = new ArrayList<>();
        List<Map<String, AttributeProto>> attrs = new ArrayList<>();
        for (NodeProto n : nodes) {
            OpRegistry.OpDef d = OpRegistry.standard().get(n.getDomain(), n.getOpType());
            if (d == null) {
                throw new UnsupportedOnnxException(where + ": node '" + n.getName() + "' (" + OnnxFile.qualified(n) + "): operator is not supported");
            }
            defs.add(d);
            Map<String, AttributeProto> a = new HashMap<>();
            for (AttributeProto p : n.getAttributeList()) a.put(p.getName(), p);
            attrs.add(a);
        }
        Map<String, Tensor> init = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) init.put(t.getName(), TensorProtos.toTensor(t, null, where + ": initializer '" + t.getName() + "'"));
        return new Body(g, nodes, defs, attrs, init, g.getInputList().stream().map(ValueInfoProto::getName).toList(),
                g.getOutputList().stream().map(ValueInfoProto::getName).toList());
    }

    /** Runs {@code body} on {@code inputs} in the scope {@code outer}; returns its outputs. */
    static Tensor[] run(Body body, List<Tensor> inputs, Map<String, Tensor> outer, NodeContext owner) {
        if (inputs.size() != body.inputs().size()) {
            throw owner.error("body '" + body.graph().getName() + "' takes " + body.inputs().size() + " inputs, given " + inputs.size());
        }
        Map<String, Tensor> env = new HashMap<>(outer);
        env.putAll(body.initializers());
        for (int i = 0; i < inputs.size(); i++) env.put(body.inputs().get(i), inputs.get(i));
        Map<String, Integer> types = new HashMap<>(owner.declaredTypes());
        for (var list : List.of(body.graph().getInputList(), body.graph().getOutputList(), body.graph().getValueInfoList())) {
            for (ValueInfoProto v : list) if (v.getType().hasTensorType()) types.put(v.getName(), v.getType().getTensorType().getElemType());
        }
        OnnxFunction.runNodes(body.nodes(), body.defs(), body.attrs(), env, owner.opset(), types);
        return OnnxFunction.results(env, body.outputs());
    }

    /** The names a graph reads that it does not define (inputs, initializers, node outputs), through nested bodies: what it needs from outside. */
    static Set<String> freeNames(GraphProto g) {
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) defined.add(v.getName());
        for (TensorProto t : g.getInitializerList()) defined.add(t.getName());
        for (NodeProto n : g.getNodeList()) defined.addAll(n.getOutputList());
        Set<String> free = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) if (!in.isEmpty() && !defined.contains(in)) free.add(in);
            for (String in : nodeFreeNames(n)) if (!defined.contains(in)) free.add(in);
        }
        return free;
    }

    /** What the bodies of a node read from outside them. */
    static Set<String> nodeFreeNames(NodeProto n) {
        Set<String> free = new HashSet<>();
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) free.addAll(freeNames(a.getG()));
            for (GraphProto g : a.getGraphsList()) free.addAll(freeNames(g));
        }
        return free;
    }
}
