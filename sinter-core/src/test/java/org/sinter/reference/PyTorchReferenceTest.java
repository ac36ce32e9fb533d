package org.sinter.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Every tensor op against PyTorch 1.13: one dynamic test per fixture case (tools/fixtures), named
 * like {@code add[broadcast_f32]}. Each builds the inputs in the requested layout, runs the op
 * through {@link ReferenceOps}, compares dtype, shape and values of every output, then runs
 * backward with PyTorch's upstream gradient and compares every input's gradient.
 */
class PyTorchReferenceTest {

    @TestFactory
    Stream<DynamicTest> opsMatchPyTorch() {
        return Fixtures.load().cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> KnownFailures.run(c.id(), () -> check(c))));
    }

    @TestFactory
    Stream<DynamicTest> toStringMatchesPyTorch() {
        return Fixtures.load().printing().stream().map(p -> DynamicTest.dynamicTest(p.id(),
                () -> KnownFailures.run(p.id(), () -> assertEquals(p.text(), p.input().toTensor().toString(),
                        p.id() + ": Sinter prints differently from PyTorch's str() of " + p.input().describe()))));
    }

    @Test
    void everyFixtureOpHasARegistryEntry() {
        List<String> missing = Fixtures.load().cases().stream().map(Fixtures.Case::op).distinct()
                .filter(op -> !ReferenceOps.OPS.containsKey(op)).toList();
        assertEquals(List.of(), missing, "fixture op keys without a ReferenceOps entry");
    }

    static void check(Fixtures.Case c) {
        BiFunction<Tensor[], Attrs, Tensor[]> op = ReferenceOps.OPS.get(c.op());
        if (op == null) fail(c.id() + ": no ReferenceOps entry for op key '" + c.op() + "'");
        check(c, op);
    }

    /** Runs {@code op} on the case's inputs and compares outputs and gradients with PyTorch's. */
    static void check(Fixtures.Case c, BiFunction<Tensor[], Attrs, Tensor[]> op) {
        String context = c.id() + " with inputs " + c.inputs().stream().map(InputSpec::describe)
                .collect(Collectors.joining(", ", "(", ")")) + " attrs " + c.attrs();

        List<InputSpec.Built> built = c.inputs().stream().map(InputSpec::build).toList();
        Tensor[] args = built.stream().map(InputSpec.Built::view).toArray(Tensor[]::new);
        Tensor[] outs;
        try {
            outs = op.apply(args, c.attrs());
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": forward threw " + e, e);
        }
        if (outs.length != c.outputs().size()) {
            fail(context + ": " + outs.length + " outputs, PyTorch gives " + c.outputs().size());
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            TensorData expected = c.outputs().get(i);
            String m = Compare.mismatch("output " + i, TensorData.of(outs[i]), expected,
                    Compare.tolerance(c.op(), expected.dtype(), false));
            if (m != null) problems.add(m);
        }
        if (problems.isEmpty() && c.hasBackward()) backwardAndCompare(c, built, outs, problems);
        if (!problems.isEmpty()) fail(context + ":\n  " + String.join("\n  ", problems));
    }

    private static void backwardAndCompare(Fixtures.Case c, List<InputSpec.Built> built, Tensor[] outs,
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
                outs[i].backward(c.gradOutputs().get(i).toTensor());
            } else {
                // Several outputs: backward of sum_i <out_i, upstream_i> gives the same gradients.
                Tensor loss = null;
                for (int i : roots) {
                    Tensor term = outs[i].mul(c.gradOutputs().get(i).toTensor()).sum();
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
            InputSpec spec = c.inputs().get(k);
            Tensor g = built.get(k).leaf().grad();
            if (g == null) {
                if (!allZero(expected)) problems.add("grad of input " + k + ": none reached the input; PyTorch's is nonzero");
                continue;
            }
            // In a case mixing float32 and float64, PyTorch's backward rounds some intermediates
            // in float32 (it sums a float32 output's gradient before casting it to the float64
            // input; pow's exponent gradient takes log of the float32 base in float32), so the
            // reference gradients of such a case are only float32-precise.
            DType precision = mixesFloat32(c) ? DType.FLOAT32 : expected.dtype();
            String m = Compare.mismatch("grad of input " + k, TensorData.of(spec.gradSeenThroughLayout(g)), expected,
                    Compare.tolerance(c.op(), precision, true));
            if (m != null) problems.add(m);
        }
    }

    private static boolean mixesFloat32(Fixtures.Case c) {
        return c.inputs().stream().anyMatch(i -> i.data().dtype() == DType.FLOAT32)
                || c.outputs().stream().anyMatch(o -> o.dtype() == DType.FLOAT32);
    }

    private static boolean allZero(TensorData t) {
        return Arrays.stream(t.floats()).allMatch(v -> v == 0);
    }
}
