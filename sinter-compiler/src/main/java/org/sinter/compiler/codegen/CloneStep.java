package org.sinter.compiler.codegen;

import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.ShapeOps;

/**
 * A float32 {@code clone} (the trace's copy of a transposed view: a batch-first attention's
 * activations made seq-first before the Q/K/V products) written into the program's arena, its
 * rows across the intra-op pool, instead of the eager op's fresh allocation and serial copy.
 */
record CloneStep(Node node) implements ProgramStep {
    static boolean applies(Node n) {
        return n.op() instanceof ShapeOps.Clone && n.inputs().get(0).dtype() == DType.FLOAT32 && n.outputs().get(0).dtype() == DType.FLOAT32;
    }

    @Override public List<Value> reads() { return node.inputs(); }

    @Override public List<Value> writes() { return node.outputs(); }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        Tensor x = env.get(node.inputs().get(0));
        Tensor y = out.allocate(node.outputs().get(0));
        DenseCopy.copy(x, y.storage().floats(), y.storageOffset());
        env.put(node.outputs().get(0), y);
    }
}
