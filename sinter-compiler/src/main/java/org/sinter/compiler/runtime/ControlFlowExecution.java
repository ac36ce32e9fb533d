package org.sinter.compiler.runtime;

import java.util.Arrays;
import java.util.function.BiFunction;
import org.sinter.ControlFlow;
import org.sinter.Tensor;
import org.sinter.compiler.ir.ControlFlowOps.Cond;
import org.sinter.compiler.ir.ControlFlowOps.ControlFlowOp;
import org.sinter.compiler.ir.ControlFlowOps.Scan;
import org.sinter.compiler.ir.ControlFlowOps.WhileLoop;
import org.sinter.compiler.ir.Graph;
import org.sinter.ops.TensorSpec;

/**
 * Runs a control-flow node by calling the {@link ControlFlow} primitive it was traced from, with
 * functions that run its regions: the primitive's semantics live in one place. Eagerly that picks a
 * branch from the predicate's value, or iterates, at run time, and autograd records the ops the
 * regions run, as in eager code; under a tracer (a graph interpreted inside a traced function) the
 * node is recorded again, whole.
 */
public final class ControlFlowExecution {
    private ControlFlowExecution() {}

    /** Runs {@code op} on {@code in}; {@code region} runs one region (the interpreter, or a compiled program). */
    public static Tensor[] run(ControlFlowOp op, Tensor[] in, BiFunction<Graph, Tensor[], Tensor[]> region) {
        return switch (op) {
            // The branches take every input after the predicate: the operands and the captures.
            case Cond c -> ControlFlow.cond(in[0], a -> region.apply(c.ifTrue(), a), a -> region.apply(c.ifFalse(), a), Arrays.copyOfRange(in, 1, in.length));
            case WhileLoop w -> {
                int k = w.stateSize();
                Tensor[] captures = Arrays.copyOfRange(in, k, in.length);
                yield ControlFlow.whileLoop(s -> region.apply(w.cond(), concat(s, captures))[0], s -> region.apply(w.body(), concat(s, captures)),
                        Arrays.copyOf(in, k));
            }
            case Scan s -> scan(s, in, region);
        };
    }

    private static Tensor[] scan(Scan s, Tensor[] in, BiFunction<Graph, Tensor[], Tensor[]> region) {
        int k = s.carries(), m = s.xs();
        Tensor[] init = Arrays.copyOf(in, k), xs = Arrays.copyOfRange(in, k, k + m), captures = Arrays.copyOfRange(in, k + m, in.length);
        if (xs[0].shape()[0] == 0) {
            // No step runs: the carry passes through, and the outputs are empty stacks of the body's output shapes.
            TensorSpec[] specs = s.meta(in);
            Tensor[] out = Arrays.copyOf(init, specs.length);
            for (int j = k; j < specs.length; j++) out[j] = Tensor.empty(specs[j].dtype(), xs[0].device(), specs[j].shape());
            return out;
        }
        ControlFlow.ScanResult r = ControlFlow.scan((carry, x) -> {
            Tensor[] out = region.apply(s.body(), concat(concat(carry, x), captures));
            return new ControlFlow.ScanStep(Arrays.copyOf(out, k), Arrays.copyOfRange(out, k, out.length));
        }, init, xs, s.reverse());
        return concat(r.carry(), r.ys());
    }

    static Tensor[] concat(Tensor[] a, Tensor[] b) {
        Tensor[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
