package org.sinter.compiler.codegen;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.kernels.pool.MaxPoolValues;
import org.sinter.ops.NnOps;

/**
 * A float32 max pooling whose argmax indices nothing reads (inference): the values-only kernel,
 * which skips the int64 index per output that the op's eager kernel writes for the backward.
 */
record MaxPoolStep(Node node) implements ProgramStep {
    /** Whether {@code n} is a float32 max pooling with dead indices (no reader, not a result). */
    static boolean applies(Node n, Map<Value, Integer> readers, java.util.Set<Value> results) {
        return n.op() instanceof NnOps.MaxPool2d && n.outputs().get(0).dtype() == DType.FLOAT32 && n.inputs().get(0).dtype() == DType.FLOAT32
                && readers.getOrDefault(n.outputs().get(1), 0) == 0 && !results.contains(n.outputs().get(1));
    }

    @Override public java.util.List<Value> reads() { return java.util.List.of(node.inputs().get(0)); }

    @Override public java.util.List<Value> writes() { return java.util.List.of(node.outputs().get(0)); }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        var g = ((NnOps.MaxPool2d) node.op()).g();
        Tensor x = env.get(node.inputs().get(0));
        if (!x.isContiguous()) x = x.contiguous();
        int[] os = node.outputs().get(0).shape();
        Tensor y = out.allocate(node.outputs().get(0));
        int planes = 1;
        for (int d = 0; d < os.length - 2; d++) planes *= os[d];
        MaxPoolValues.maxPool(g, planes, x.storage().floats(), x.storageOffset(), y.storage().floats(), y.storageOffset());
        env.put(node.outputs().get(0), y);
    }
}
