package org.sinter.compiler.codegen;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.gemm.Gemm;
import org.sinter.kernels.gemm.GemmEpilogue;
import org.sinter.kernels.gemm.MatrixLayout;
import org.sinter.kernels.gemm.PackedB;

/**
 * Runs a {@link GemmGroup}: one GEMM call (B pre-packed when it is a constant) whose epilogue runs
 * the group's generated elementwise kernel on each finished block of the product. When the
 * epilogue has one output shaped like the product it writes over the product's block in place,
 * so the product never takes memory of its own. The product's bits are the eager bmm's (same GEMM
 * call, same layout rule) and the kernel is elementwise, so results equal eager execution; a product
 * the auto-tuner supplies ({@link TunedKernels}) sums in its own order and agrees to rounding.
 */
final class GemmStep implements ProgramStep {
    private final GemmGroup group;
    private final FusedKernel kernel;
    private final LoopNest nest;
    private final PackedB packed;
    /** The auto-tuner's kernel for this product (see {@link TunedKernels}), or null: the built-in GEMM. */
    private final TunedKernels.TunedMatmul tuned;
    private final int tunedRows;

    GemmStep(Graph g, GemmGroup group, FusedKernel kernel, LoopNest nest) {
        this.group = group;
        this.kernel = kernel;
        this.nest = nest;
        int[] as = group.producer().inputs().get(0).shape();
        this.tunedRows = as[1];
        if (!group.constantWeight()) {
            this.packed = null;
            this.tuned = null;
            return;
        }
        // B as the GEMM reads it: its own layout where the strides allow, else a contiguous copy.
        Tensor b = g.parameter(group.producer().inputs().get(1)).tensor();
        int[] sh = b.shape(), st = b.stride();
        MatrixLayout l = MatrixLayout.of(sh[1], sh[2], st[1], st[2]);
        if (l == null) {
            b = b.contiguous();
            l = MatrixLayout.of(sh[1], sh[2], sh[2], 1);
        }
        float[] bData = b.storage().floats();
        this.packed = PackedB.pack(l.trans(), sh[1], sh[2], bData, b.storageOffset(), l.ld());
        // The provider is asked for single products (batch 1), the linear layers of inference graphs.
        this.tuned = as[0] == 1 && sh[0] == 1 ? TunedKernels.current().matmul(as[1], sh[2], sh[1], l.trans(), bData, b.storageOffset(), l.ld()) : null;
    }

    GemmGroup group() { return group; }

    @Override public List<Value> reads() { return group.reads(); }

    @Override public List<Value> writes() { return group.writes(); }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        Tensor a = env.get(group.producer().inputs().get(0));
        int[] as = a.shape();
        int m = as[1], k = as[2], n = group.producer().output().shape()[2];
        MatrixLayout la = MatrixLayout.of(m, k, a.stride()[1], a.stride()[2]);
        if (la == null) {
            a = a.contiguous();
            la = MatrixLayout.of(m, k, k, 1);
        }
        FusionGroup fg = group.epilogue();
        List<Value> outs = fg == null ? List.of() : fg.outputs();
        boolean inPlace = outs.size() == 1 && Arrays.equals(outs.getFirst().shape(), group.product().shape());
        Tensor c = inPlace ? out.allocate(outs.getFirst()) : fg == null ? out.allocate(group.product()) : Tensor.empty(DType.FLOAT32, group.product().shape());
        float[] cData = c.storage().floats();
        GemmEpilogue epilogue = fg == null ? null : epilogue(env, c, inPlace, out);
        float[] aData = a.storage().floats();
        if (tuned != null && m == tunedRows && !la.trans() && la.ld() == k) {
            // The tuned kernel writes the whole product; then the epilogue runs over it as one block.
            tuned.run(aData, a.storageOffset(), cData, c.storageOffset());
            if (epilogue != null) epilogue.apply(0, m, 0, n);
        } else if (packed != null) {
            Gemm.sgemm(la.trans(), m, aData, a.storageOffset(), la.ld(), packed, cData, c.storageOffset(), n, epilogue);
        } else {
            Tensor b = env.get(group.producer().inputs().get(1));
            MatrixLayout lb = MatrixLayout.of(k, n, b.stride()[1], b.stride()[2]);
            if (lb == null) {
                b = b.contiguous();
                lb = MatrixLayout.of(k, n, n, 1);
            }
            Gemm.sgemm(la.trans(), lb.trans(), m, n, k, 1f, aData, a.storageOffset(), la.ld(),
                    b.storage().floats(), b.storageOffset(), lb.ld(), 0f, cData, c.storageOffset(), n, epilogue);
        }
        if (fg == null) env.put(group.product(), c.reshape(group.product().shape()));
    }

    /** The epilogue: the group's kernel over each finished block; its outputs go into {@code env}. */
    private GemmEpilogue epilogue(Map<Value, Tensor> env, Tensor product, boolean inPlace, Outputs out) {
        EpilogueOperands ops = EpilogueOperands.of(group.epilogue(), env, group.product(), product, inPlace, out);
        int[][] strides = nest.strides();
        int rows = nest.sizes()[0];
        return (r0, nr, c0, nc) -> ops.run(kernel, strides, rows, null, r0, nr, c0, nc);
    }
}
