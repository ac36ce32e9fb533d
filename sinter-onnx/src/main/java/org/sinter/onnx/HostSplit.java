package org.sinter.onnx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.NodeProto;

/**
 * A tensor graph with data-dependent nodes (whose output shapes depend on values: NonZero,
 * NonMaxSuppression, …) cut in two: every node that is neither such a node nor downstream of one
 * forms the <em>compiled part</em>, one static graph for the compiler; the rest runs eagerly on
 * actual values, reading the compiled part's outputs. A detector's backbone and heads compile and
 * only its box selection and what follows run on the host, as ONNX Runtime places nodes its
 * optimised providers cannot take.
 *
 * <p>What follows a data-dependent node stays eager on purpose: its shapes change from call to
 * call, and compiling a specialisation per shape would cost more than it saves.
 *
 * @param compiled the compiled part's nodes, in graph order
 * @param outputs the values the compiled part hands over: read by the eager part (also inside its
 *     sub-graphs) or graph outputs
 * @param host the eager part's nodes, in graph order
 */
record HostSplit(List<NodeProto> compiled, List<String> outputs, List<NodeProto> host) {

    /**
     * Splits {@code nodes} (sorted); null when nothing would compile (the first node already
     * depends on a data-dependent one) or nothing is data-dependent.
     */
    static HostSplit of(List<NodeProto> nodes, Set<String> dataDependentOps, List<String> graphOutputs) {
        Set<String> tainted = new HashSet<>();
        List<NodeProto> compiled = new ArrayList<>();
        List<NodeProto> host = new ArrayList<>();
        for (NodeProto n : nodes) {
            boolean downstream = reads(n).stream().anyMatch(tainted::contains);
            if (downstream || uses(n, dataDependentOps)) {
                host.add(n);
                for (String o : n.getOutputList()) if (!o.isEmpty()) tainted.add(o);
            } else {
                compiled.add(n);
            }
        }
        if (compiled.isEmpty() || host.isEmpty()) return null;
        Set<String> made = new HashSet<>();
        for (NodeProto n : compiled) for (String o : n.getOutputList()) if (!o.isEmpty()) made.add(o);
        Set<String> wanted = new LinkedHashSet<>();
        for (NodeProto n : host) for (String r : reads(n)) if (made.contains(r)) wanted.add(r);
        for (String o : graphOutputs) if (made.contains(o)) wanted.add(o);
        return new HostSplit(List.copyOf(compiled), List.copyOf(wanted), List.copyOf(host));
    }

    /** The names {@code n} reads: its inputs and every name read inside its sub-graphs (a superset: names a sub-graph defines are included). */
    private static Set<String> reads(NodeProto n) {
        Set<String> r = new LinkedHashSet<>();
        for (String in : n.getInputList()) if (!in.isEmpty()) r.add(in);
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) readsOf(a.getG(), r);
            for (GraphProto g : a.getGraphsList()) readsOf(g, r);
        }
        return r;
    }

    private static void readsOf(GraphProto g, Set<String> into) {
        for (NodeProto n : g.getNodeList()) into.addAll(reads(n));
        for (var o : g.getOutputList()) into.add(o.getName()); // a body may return an outer value as is
    }

    /** Whether {@code n} is, or holds in a sub-graph, one of {@code ops}. */
    private static boolean uses(NodeProto n, Set<String> ops) {
        if (ops.contains(n.getOpType())) return true;
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasG() && a.getG().getNodeList().stream().anyMatch(s -> uses(s, ops))) return true;
            for (GraphProto g : a.getGraphsList()) if (g.getNodeList().stream().anyMatch(s -> uses(s, ops))) return true;
        }
        return false;
    }
}
