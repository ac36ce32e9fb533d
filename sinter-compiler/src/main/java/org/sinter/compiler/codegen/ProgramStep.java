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

    /**
     * The step's name in a profiler's table: its kind and the shape of what it writes (steps the
     * engine dispatches appear under their op's name instead, as eager ops do).
     */
    default String label() {
        String kind = getClass().getSimpleName().replace("Step", "");
        return "compiled." + (kind.isEmpty() ? "step" : kind) + " " + java.util.Arrays.toString(writes().getFirst().shape());
    }

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
            bind(node.outputs(), Dispatch.apply(node.op(), lookUp(node.inputs(), env)), env);
        }
    }

    /** The tensors of {@code values} in {@code env}, in order. */
    static Tensor[] lookUp(List<Value> values, Map<Value, Tensor> env) {
        Tensor[] t = new Tensor[values.size()];
        for (int i = 0; i < t.length; i++) t[i] = env.get(values.get(i));
        return t;
    }

    /** Binds {@code values[i]} to {@code tensors[i]} in {@code env}. */
    static void bind(List<Value> values, Tensor[] tensors, Map<Value, Tensor> env) {
        for (int i = 0; i < tensors.length; i++) env.put(values.get(i), tensors[i]);
    }
}
