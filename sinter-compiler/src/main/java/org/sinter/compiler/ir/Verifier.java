package org.sinter.compiler.ir;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.sinter.Tensor;
import org.sinter.ops.TensorSpec;

/**
 * Checks a graph's invariants, for tests and after every pass: each value is defined once and
 * before its uses (SSA in topological order), each node's outputs have the shapes and dtypes its
 * op's meta function gives for its inputs, bound parameters match their declared spec, and every
 * output is defined. A control-flow node's regions are verified as graphs of their own, and must
 * still fit the node (branches alike, a loop keeping its state's shapes). The error names the node
 * (and region) and what is wrong.
 */
public final class Verifier {
    private Verifier() {}

    public static void verify(Graph g) {
        Set<Value> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Value v : g.inputs()) define(defined, v, "input");
        for (Value v : g.randomInputs().keySet()) define(defined, v, "random input");
        g.parameters().forEach((v, p) -> {
            define(defined, v, "parameter " + p.name());
            Tensor t = p.tensor();
            if (t != null && (t.dtype() != v.dtype() || !Arrays.equals(t.shape(), v.shape()))) {
                throw new IllegalStateException("verify: parameter " + p.name() + " is declared " + GraphText.spec(v.spec())
                        + " but bound to " + t.describe());
            }
        });
        for (Node n : g.nodes()) {
            String where = "verify: node " + n.outputs() + " = " + OpCodec.print(n.op());
            for (Value in : n.inputs()) {
                if (!defined.contains(in)) throw new IllegalStateException(where + ": input " + in + " is used before it is defined");
            }
            if (n.op() instanceof ControlFlowOps.ControlFlowOp cf) verifyRegions(cf, where);
            Tensor[] metas = g.metaArgs(n.inputs());
            TensorSpec[] expected;
            try {
                expected = n.op().meta(metas);
            } catch (RuntimeException e) {
                throw new IllegalStateException(where + ": its op rejects its inputs: " + e.getMessage(), e);
            }
            if (expected.length != n.outputs().size()) {
                throw new IllegalStateException(where + ": has " + n.outputs().size() + " outputs, its op gives " + expected.length);
            }
            for (int i = 0; i < expected.length; i++) {
                Value out = n.outputs().get(i);
                if (!expected[i].equals(out.spec())) {
                    throw new IllegalStateException(where + ": output " + out + " is " + GraphText.spec(out.spec()) + " but its op gives "
                            + GraphText.spec(expected[i]));
                }
                if (out.producer() != n || out.outputIndex() != i) throw new IllegalStateException(where + ": output " + out + " names another producer");
                define(defined, out, "node output");
            }
        }
        for (Value v : g.outputs()) {
            if (!defined.contains(v)) throw new IllegalStateException("verify: graph output " + v + " is not defined");
        }
        g.updates().forEach((p, v) -> {
            if (g.parameter(p) == null || g.parameter(p).constant()) throw new IllegalStateException("verify: update of " + p + ", which is not a parameter");
            if (!defined.contains(v)) throw new IllegalStateException("verify: the new value " + v + " of " + g.parameter(p).name() + " is not defined");
            if (!p.spec().equals(v.spec())) {
                throw new IllegalStateException("verify: " + g.parameter(p).name() + " is " + GraphText.spec(p.spec()) + " but is updated with "
                        + GraphText.spec(v.spec()));
            }
        });
    }

    private static void verifyRegions(ControlFlowOps.ControlFlowOp op, String where) {
        for (var region : OpCodec.regions(op).entrySet()) {
            try {
                verify(region.getValue());
            } catch (IllegalStateException e) {
                throw new IllegalStateException(where + ": region " + region.getKey() + ": " + e.getMessage(), e);
            }
        }
        try {
            op.checkSignature();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": its regions do not fit: " + e.getMessage(), e);
        }
    }

    private static void define(Set<Value> defined, Value v, String what) {
        if (!defined.add(v)) throw new IllegalStateException("verify: " + what + " " + v + " is defined twice");
    }
}
