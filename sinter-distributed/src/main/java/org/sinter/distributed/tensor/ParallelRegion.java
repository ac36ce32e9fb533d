package org.sinter.distributed.tensor;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Tensor;
import org.sinter.autograd.Function;
import org.sinter.autograd.FunctionContext;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;

/**
 * The four conjugate communication functions of Megatron-LM's tensor parallelism (Shoeybi et al.
 * 2019), as autograd functions over a tensor-parallel group. What one does forward, its backward
 * undoes: {@link #copyTo} (f: identity, all-reduce of the gradient) enters a column-parallel
 * region; {@link #reduceFrom} (g: all-reduce, identity gradient) leaves a row-parallel one;
 * {@link #gatherFrom} and {@link #scatterTo} join and split the last dimension.
 */
public final class ParallelRegion {
    private ParallelRegion() {}

    /** f: the input unchanged; backward sums the gradient over the group (each rank used it for its shard). */
    public static Tensor copyTo(Tensor x, ProcessGroup group) {
        if (group.size() == 1) return x;
        return new Function() {
            @Override public String name() { return "copyToTensorParallelRegion"; }
            @Override protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {in[0]}; }
            @Override protected Tensor[] backward(FunctionContext ctx, Tensor... g) { return new Tensor[] {allReduce(g[0], group)}; }
        }.apply1(x);
    }

    /** g: the sum over the group of every rank's partial result; the gradient passes unchanged. */
    public static Tensor reduceFrom(Tensor x, ProcessGroup group) {
        if (group.size() == 1) return x;
        return new Function() {
            @Override public String name() { return "reduceFromTensorParallelRegion"; }
            @Override protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {allReduce(in[0], group)}; }
            @Override protected Tensor[] backward(FunctionContext ctx, Tensor... g) { return new Tensor[] {g[0]}; }
        }.apply1(x);
    }

    /** Concatenates every rank's last-dimension slice in rank order; backward keeps this rank's slice of the gradient. */
    public static Tensor gatherFrom(Tensor x, ProcessGroup group) {
        if (group.size() == 1) return x;
        return new Function() {
            @Override public String name() { return "gatherFromTensorParallelRegion"; }
            @Override protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {allGatherLastDim(in[0], group)}; }
            @Override protected Tensor[] backward(FunctionContext ctx, Tensor... g) { return new Tensor[] {lastDimSlice(g[0], group)}; }
        }.apply1(x);
    }

    /** This rank's slice of the last dimension; backward gathers the slices' gradients. */
    public static Tensor scatterTo(Tensor x, ProcessGroup group) {
        if (group.size() == 1) return x;
        return new Function() {
            @Override public String name() { return "scatterToTensorParallelRegion"; }
            @Override protected Tensor[] forward(FunctionContext ctx, Tensor... in) { return new Tensor[] {lastDimSlice(in[0], group)}; }
            @Override protected Tensor[] backward(FunctionContext ctx, Tensor... g) { return new Tensor[] {allGatherLastDim(g[0], group)}; }
        }.apply1(x);
    }

    private static Tensor allReduce(Tensor t, ProcessGroup group) {
        Tensor out = t.contiguous().clone();
        group.allReduce(out, ReduceOp.SUM);
        return out;
    }

    private static Tensor allGatherLastDim(Tensor t, ProcessGroup group) {
        Tensor in = t.contiguous();
        List<Tensor> parts = new ArrayList<>();
        for (int r = 0; r < group.size(); r++) parts.add(Tensor.empty(in.dtype(), in.shape()));
        group.allGather(parts, in);
        return Tensor.cat(parts, -1);
    }

    static Tensor lastDimSlice(Tensor t, ProcessGroup group) {
        int n = t.size(-1);
        if (n % group.size() != 0) {
            throw new IllegalArgumentException("tensor parallel: last dimension " + n + " of " + t.describe()
                    + " does not split evenly over " + group.size() + " ranks");
        }
        int part = n / group.size();
        return t.narrow(t.dim() - 1, group.rank() * part, part).contiguous();
    }
}
