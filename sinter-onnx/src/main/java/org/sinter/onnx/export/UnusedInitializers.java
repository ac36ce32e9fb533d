package org.sinter.onnx.export;

import java.util.HashSet;
import java.util.Set;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.NodeProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.ValueInfoProto;

/**
 * Drops initializers that nothing reads. Lowering writes every traced parameter; some are then
 * replaced by another form (an int32 tensor of 8-bit values is written again as an int8 initializer
 * for a DequantizeLinear), and a file should not carry the unused copy (runtimes warn about it, and
 * it would quadruple a quantized model's weights). Names read inside sub-graphs (If, Loop, Scan
 * bodies read the outer scope) count as reads.
 */
final class UnusedInitializers {
    private UnusedInitializers() {}

    static void drop(GraphProto.Builder graph) {
        Set<String> read = new HashSet<>();
        collect(graph.getNodeList(), read);
        for (ValueInfoProto o : graph.getOutputList()) read.add(o.getName());
        for (int i = graph.getInitializerCount() - 1; i >= 0; i--) {
            TensorProto t = graph.getInitializer(i);
            if (!read.contains(t.getName())) graph.removeInitializer(i);
        }
    }

    private static void collect(Iterable<NodeProto> nodes, Set<String> read) {
        for (NodeProto n : nodes) {
            read.addAll(n.getInputList());
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) collectGraph(a.getG(), read);
                for (GraphProto g : a.getGraphsList()) collectGraph(g, read);
            }
        }
    }

    private static void collectGraph(GraphProto g, Set<String> read) {
        collect(g.getNodeList(), read);
        for (ValueInfoProto o : g.getOutputList()) read.add(o.getName());
    }
}
