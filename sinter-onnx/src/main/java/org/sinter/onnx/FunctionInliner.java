package org.sinter.onnx;

import java.util.HashMap;
import java.util.Map;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.FunctionProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.ModelProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * Model-local functions ({@code ModelProto.functions}, ONNX 1.10+) inlined before anything else
 * looks at the graph: each call becomes the function's nodes, its formal inputs and outputs
 * renamed to the call's actual names, its internal values given names no other value has, and
 * attributes that refer to the call's ({@code ref_attr_name}) taken from the call, or from the
 * function's defaults. Functions calling functions inline in turn, to a depth of 16.
 */
final class FunctionInliner {
    static final int MAX_DEPTH = 16;

    private FunctionInliner() {}

    static ModelProto inline(ModelProto model, String where) {
        if (model.getFunctionsCount() == 0 || !model.hasGraph()) return model;
        Map<String, FunctionProto> functions = new HashMap<>();
        for (FunctionProto f : model.getFunctionsList()) functions.put(key(f.getDomain(), f.getName()), f);
        int[] counter = {0};
        GraphProto g = graph(model.getGraph(), functions, counter, 0, where);
        return model.toBuilder().setGraph(g).build();
    }

    private static String key(String domain, String name) {
        return domain + "::" + name;
    }

    private static GraphProto graph(GraphProto g, Map<String, FunctionProto> functions, int[] counter, int depth, String where) {
        GraphProto.Builder b = g.toBuilder().clearNode();
        for (NodeProto n : g.getNodeList()) expand(n, functions, counter, depth, where, b);
        return b.build();
    }

    private static void expand(NodeProto call, Map<String, FunctionProto> functions, int[] counter, int depth, String where, GraphProto.Builder into) {
        FunctionProto f = functions.get(key(call.getDomain(), call.getOpType()));
        if (f == null) {
            into.addNode(call);
            return;
        }
        if (depth >= MAX_DEPTH) {
            throw new OnnxException(where + ": function " + call.getDomain() + "." + call.getOpType() + " calls functions more than " + MAX_DEPTH + " deep (recursion?)");
        }
        if (call.getInputCount() > f.getInputCount() || call.getOutputCount() > f.getOutputCount()) {
            throw new OnnxException(where + ": node '" + call.getName() + "' calls function " + f.getName() + " with " + call.getInputCount() + " inputs and "
                    + call.getOutputCount() + " outputs; it declares " + f.getInputCount() + " and " + f.getOutputCount());
        }
        String prefix = "__" + f.getName() + "_" + counter[0]++ + "/";
        Map<String, String> rename = new HashMap<>();
        for (int i = 0; i < f.getInputCount(); i++) rename.put(f.getInput(i), i < call.getInputCount() ? call.getInput(i) : "");
        for (int i = 0; i < f.getOutputCount(); i++) rename.put(f.getOutput(i), i < call.getOutputCount() ? call.getOutput(i) : "");
        Map<String, AttributeProto> given = new HashMap<>();
        for (AttributeProto a : f.getAttributeProtoList()) given.put(a.getName(), a);
        for (AttributeProto a : call.getAttributeList()) given.put(a.getName(), a);
        GraphProto.Builder body = GraphProto.newBuilder();
        for (NodeProto n : f.getNodeList()) {
            NodeProto.Builder c = n.toBuilder().clearInput().clearOutput().clearAttribute().setName(prefix + n.getName());
            for (String in : n.getInputList()) c.addInput(in.isEmpty() ? "" : rename.getOrDefault(in, prefix + in));
            for (String out : n.getOutputList()) c.addOutput(out.isEmpty() ? "" : rename.getOrDefault(out, prefix + out));
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getRefAttrName().isEmpty()) {
                    c.addAttribute(a);
                } else {
                    AttributeProto v = given.get(a.getRefAttrName());
                    if (v != null) c.addAttribute(v.toBuilder().setName(a.getName()).clearRefAttrName());
                }
            }
            body.addNode(c);
        }
        for (NodeProto n : graph(body.build(), functions, counter, depth + 1, where).getNodeList()) into.addNode(n);
    }
}
