package org.sinter.compiler.codegen;

import java.util.List;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.NnOps;

/**
 * A matrix product run with its epilogue: the {@code producer} is a single-matrix {@code bmm}
 * ([1, m, k] x [1, k, n]) or a convolution with a constant weight (one GEMM per sample,
 * {@code W[k, patch] x im2col(x)}), followed by the views that only reshape its result
 * ({@code views}) and the elementwise group that alone reads that result ({@code epilogue}, null
 * when there is none). The epilogue runs block by block inside the GEMM while each block of the
 * product is still in cache (bias, activation, residual add: oneDNN's post-ops). {@code product}
 * is the value the epilogue reads. {@code constantWeight}: the weight operand (a bmm's right one,
 * a convolution's filter) is a constant, packed once at compile time.
 */
public record GemmGroup(Node producer, List<Node> views, FusionGroup epilogue, Value product, boolean constantWeight) {
    /** Whether the producer is a convolution (else a bmm). */
    public boolean isConv() {
        return producer.op() instanceof NnOps.Conv2d;
    }

    /** Every node the group replaces, in graph order. */
    public List<Node> nodes() {
        List<Node> all = new java.util.ArrayList<>();
        all.add(producer);
        all.addAll(views);
        if (epilogue != null) all.addAll(epilogue.nodes());
        return all;
    }

    /** The values the group reads from outside: the producer's operands, the epilogue's other inputs and scalars. */
    public List<Value> reads() {
        List<Value> r = new java.util.ArrayList<>(producer.inputs());
        if (epilogue != null) {
            for (Value v : epilogue.inputs()) if (v != product) r.add(v);
            r.addAll(epilogue.scalars());
        }
        return r;
    }

    /** The values the group writes: the epilogue's outputs, or the product when there is no epilogue. */
    public List<Value> writes() {
        return epilogue == null ? List.of(product) : epilogue.outputs();
    }

    public String describe() {
        String head;
        if (isConv()) {
            var g = ((NnOps.Conv2d) producer.op()).g();
            head = "conv " + g.k() + "x" + g.c() + "x" + g.kh() + "x" + g.kw() + " as gemm " + g.k() + "x" + g.outPlane() + "x" + g.patch()
                    + " per sample" + (constantWeight ? " (filter pre-packed)" : "");
        } else {
            int[] s = producer.output().shape();
            head = "gemm " + s[1] + "x" + s[2] + "x" + producer.inputs().get(0).shape()[2] + (constantWeight ? " (B pre-packed)" : "");
        }
        return epilogue == null ? head : head + " → epilogue " + epilogue.describe();
    }
}
