package org.sinter.compiler.codegen;

import java.util.List;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * A matrix product run with its epilogue: a single-matrix {@code bmm} ([1, m, k] x [1, k, n]), the
 * views that only reshape its result ({@code views}), and the elementwise group that alone reads
 * that result ({@code epilogue}, null when there is none), computed block by block inside the GEMM
 * while each block of the product is still in cache (bias, activation, residual add: oneDNN's
 * post-ops). {@code product} is the value the epilogue reads (the last view's result).
 * {@code constantB}: the right operand is a constant (frozen weights), packed once at compile time.
 */
public record GemmGroup(Node bmm, List<Node> views, FusionGroup epilogue, Value product, boolean constantB) {
    /** Every node the group replaces, in graph order. */
    public List<Node> nodes() {
        List<Node> all = new java.util.ArrayList<>();
        all.add(bmm);
        all.addAll(views);
        if (epilogue != null) all.addAll(epilogue.nodes());
        return all;
    }

    public String describe() {
        int[] s = bmm.output().shape();
        String gemm = "gemm " + s[1] + "x" + s[2] + "x" + bmm.inputs().get(0).shape()[2] + (constantB ? " (B pre-packed)" : "");
        return epilogue == null ? gemm : gemm + " → epilogue " + epilogue.describe();
    }
}
