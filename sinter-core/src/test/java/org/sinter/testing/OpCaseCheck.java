package org.sinter.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Tensor;

/**
 * Runs one op fixture case and compares it with PyTorch: the inputs are built in their layouts
 * by a {@link TensorFactory}, the op is called, then dtype, shape and values of every output are
 * compared, backward runs with PyTorch's upstream gradients, and every input's gradient is
 * compared. Tolerances come from {@link Tolerances}. {@link #checkMeta} checks dtypes and shapes
 * alone, reading no values: the check a shape-only backend can pass.
 */
public final class OpCaseCheck {
    private OpCaseCheck() {}

    /** {@link #check(OpCase, OpCall, TensorFactory)} on the CPU. */
    public static void check(OpCase c, OpCall op) { check(c, op, TensorFactory.CPU); }

    /** Fails with every mismatch of the case, prefixed by its id, inputs and attributes. */
    public static void check(OpCase c, OpCall op, TensorFactory factory) {
        List<InputSpec.Built> built = c.inputs().stream().map(in -> in.build(factory)).toList();
        Tensor[] outs = forward(c, op, built);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            TensorData expected = c.outputs().get(i);
            String m = Compare.mismatch("output " + i, TensorData.of(outs[i]), expected,
                    Tolerances.forOp(c.op(), expected.dtype(), false));
            if (m != null) problems.add(m);
        }
        if (problems.isEmpty() && c.hasBackward()) backwardAndCompare(c, factory, built, outs, problems);
        if (!problems.isEmpty()) fail(c.describe() + ":\n  " + String.join("\n  ", problems));
    }

    /** Number of outputs, and each one's dtype and shape, against PyTorch's; no values, no backward. */
    public static void checkMeta(OpCase c, OpCall op, TensorFactory factory) {
        Tensor[] outs = forward(c, op, c.inputs().stream().map(in -> in.build(factory)).toList());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            String m = Compare.metaMismatch("output " + i, TensorMeta.of(outs[i]), c.outputMetas().get(i));
            if (m != null) problems.add(m);
        }
        if (!problems.isEmpty()) fail(c.describe() + ":\n  " + String.join("\n  ", problems));
    }

    private static Tensor[] forward(OpCase c, OpCall op, List<InputSpec.Built> built) {
        Tensor[] outs;
        try {
            outs = op.apply(built.stream().map(InputSpec.Built::view).toArray(Tensor[]::new), c.attrs());
        } catch (RuntimeException e) {
            throw new AssertionError(c.describe() + ": forward threw " + e, e);
        }
        if (outs.length != c.outputs().size()) {
            fail(c.describe() + ": " + outs.length + " outputs, PyTorch gives " + c.outputs().size());
        }
        return outs;
    }

    private static void backwardAndCompare(OpCase c, TensorFactory factory, List<InputSpec.Built> built, Tensor[] outs,
                                           List<String> problems) {
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (c.gradOutputs().get(i) == null) continue;
            if (!outs[i].requiresGrad()) {
                problems.add("output " + i + " does not require grad, though an input does");
                return;
            }
            roots.add(i);
        }
        try {
            if (roots.size() == 1) {
                int i = roots.get(0);
                outs[i].backward(factory.create(c.gradOutputs().get(i)));
            } else {
                // Several outputs: backward of sum_i <out_i, upstream_i> gives the same gradients.
                Tensor loss = null;
                for (int i : roots) {
                    Tensor term = outs[i].mul(factory.create(c.gradOutputs().get(i))).sum();
                    loss = loss == null ? term : loss.add(term);
                }
                loss.backward();
            }
        } catch (RuntimeException e) {
            throw new AssertionError(c.id() + ": backward threw " + e, e);
        }
        for (int k = 0; k < built.size(); k++) {
            TensorData expected = c.grads().get(k);
            if (expected == null) continue;
            Tensor g = built.get(k).leaf().grad();
            if (g == null) {
                if (!Arrays.stream(expected.floats()).allMatch(v -> v == 0)) {
                    problems.add("grad of input " + k + ": none reached the input; PyTorch's is nonzero");
                }
                continue;
            }
            String m = Compare.mismatch("grad of input " + k, TensorData.of(c.inputs().get(k).gradSeenThroughLayout(g)),
                    expected, Tolerances.forGradient(c, expected.dtype()));
            if (m != null) problems.add(m);
        }
    }
}
