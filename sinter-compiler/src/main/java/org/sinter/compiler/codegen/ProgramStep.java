package org.sinter.compiler.codegen;

import java.util.List;
import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;

/**
 * One step of a lowered {@link Program}: a node run through the engine's dispatch, a generated
 * kernel, a GEMM with its epilogue... It names the values it reads and the values it writes, which
 * is all the executor needs to order steps and to run independent ones concurrently.
 */
interface ProgramStep {
    List<Value> reads();

    List<Value> writes();

    /** Runs the step: reads its values from {@code env}, puts the values it writes (allocated through {@code out}). */
    void run(Map<Value, Tensor> env, Outputs out);

    /** Where a step's outputs live: a slice of the run's arena ({@link StepArena}), or fresh memory. */
    @FunctionalInterface
    interface Outputs {
        Tensor allocate(Value v);

        Outputs FRESH = v -> Tensor.empty(v.dtype(), v.shape());
    }

    /** A node the engine runs as eager code would. */
    record NodeStep(Node node) implements ProgramStep {
        @Override public List<Value> reads() { return node.inputs(); }

        @Override public List<Value> writes() { return node.outputs(); }

        @Override
        public void run(Map<Value, Tensor> env, Outputs out) {
            Tensor[] args = new Tensor[node.inputs().size()];
            for (int i = 0; i < args.length; i++) args[i] = env.get(node.inputs().get(i));
            Tensor[] outs = Dispatch.apply(node.op(), args);
            for (int i = 0; i < outs.length; i++) env.put(node.outputs().get(i), outs[i]);
        }
    }
}
