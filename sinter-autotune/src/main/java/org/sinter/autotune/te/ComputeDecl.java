package org.sinter.autotune.te;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an operator computes, apart from how its loops run (TVM's {@code te.compute}):
 * <pre>
 *   out[outIndex(spatial)] = epilogue( Σ_{reduce} body(spatial, reduce) )
 * </pre>
 * The body and the epilogue read {@link #inputs} at affine indices; the epilogue sees the sum as
 * {@link Expr.Acc}. A schedule (package {@code schedule}) decides the loop order, tiling,
 * vectorisation and threads; every schedule of a declaration computes the same values.
 *
 * @param op       the operator family ("conv2d", "matmul", …), the first part of the workload key
 * @param workload the operator and its shapes and attributes, e.g. {@code conv2d_nchw(1,64,56,56;64,3,3;s1,p1,d1,g1)}
 * @param spatial  the output's axes
 * @param reduce   the summed axes (at least one)
 * @param inputs   the tensors read
 * @param outShape the output's shape (row-major)
 * @param outIndex the output element each spatial point writes, one affine index per output dim
 */
public record ComputeDecl(String op, String workload, List<Axis> spatial, List<Axis> reduce, List<Placeholder> inputs,
                          Expr body, Expr epilogue, int[] outShape, List<Affine> outIndex) {
    public ComputeDecl {
        spatial = List.copyOf(spatial);
        reduce = List.copyOf(reduce);
        inputs = List.copyOf(inputs);
        outIndex = List.copyOf(outIndex);
        outShape = outShape.clone();
        if (reduce.isEmpty()) throw new IllegalArgumentException(workload + ": a compute declaration needs a reduce axis");
        if (outIndex.size() != outShape.length) {
            throw new IllegalArgumentException(workload + ": output index has " + outIndex.size() + " dims, shape " + Arrays.toString(outShape));
        }
        for (Axis a : spatial) if (a.reduce()) throw new IllegalArgumentException(workload + ": spatial axis " + a.name() + " is marked reduce");
        for (Axis a : reduce) if (!a.reduce()) throw new IllegalArgumentException(workload + ": reduce axis " + a.name() + " is not marked reduce");
        List<Expr.Load> loads = new ArrayList<>();
        Expr.loads(body, loads);
        Expr.loads(epilogue, loads);
        for (Expr.Load l : loads) {
            Placeholder p = inputs.stream().filter(i -> i.name().equals(l.tensor())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(workload + ": load of unknown tensor " + l.tensor()));
            if (p.shape().length != l.index().size()) {
                throw new IllegalArgumentException(workload + ": " + l.tensor() + " has rank " + p.shape().length + ", indexed with " + l.index());
            }
        }
    }

    public Placeholder input(String name) {
        for (Placeholder p : inputs) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException(workload + ": no input " + name);
    }

    public List<Axis> axes() {
        List<Axis> all = new ArrayList<>(spatial);
        all.addAll(reduce);
        return all;
    }

    public Axis axis(String name) {
        for (Axis a : axes()) if (a.name().equals(name)) return a;
        throw new IllegalArgumentException(workload + ": no axis " + name);
    }

    public int outSize() {
        int n = 1;
        for (int d : outShape) n *= d;
        return n;
    }

    /** Floating-point operations: two per multiply-add of the reduction (the convention GFLOP/s figures use). */
    public long flops() {
        long n = 2;
        for (Axis a : axes()) n *= a.extent();
        return n;
    }
}
