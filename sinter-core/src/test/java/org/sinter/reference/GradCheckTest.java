package org.sinter.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.autograd.GradCheck;
import org.sinter.testing.InputSpec;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.OpCase;
import org.sinter.testing.TensorData;
import org.sinter.testing.TensorFactory;
import org.sinter.testing.TensorMeta;

/**
 * Every differentiable op's gradient against finite differences in float64, with Sinter's own
 * GradCheck: first order on every fixture case shape (fresh float64 values drawn in Java from the
 * input's domain, same layouts, same index tensors), and second order (gradgradcheck) where the
 * inputs are small enough to keep the run short. Needs no PyTorch values, only the case shapes.
 */
class GradCheckTest {
    /** gradgradcheck costs about (inputs x outputs) backward passes: only small cases. */
    static final int GRADGRAD_MAX_ELEMENTS = 24;

    @TestFactory
    Stream<DynamicTest> gradcheck() {
        return differentiableCases().stream().map(c -> DynamicTest.dynamicTest("gradcheck:" + c.id(),
                () -> KnownFailures.run("gradcheck:" + c.id(), () -> check(c, false))));
    }

    @TestFactory
    Stream<DynamicTest> gradgradcheck() {
        return differentiableCases().stream()
                .filter(c -> floatElements(c) <= GRADGRAD_MAX_ELEMENTS && !zeroBaseOfPow(c))
                .map(c -> DynamicTest.dynamicTest("gradgradcheck:" + c.id(),
                        () -> KnownFailures.run("gradgradcheck:" + c.id(), () -> check(c, true))));
    }

    /**
     * Fixture cases with an input requiring grad and a float output, one per distinct shape
     * signature (the float32 and float64 twins of a case check the same thing in float64).
     */
    static List<OpCase> differentiableCases() {
        Map<String, OpCase> unique = new LinkedHashMap<>();
        for (OpCase c : PyTorchReferenceTest.fixtures().cases()) {
            if (ReferenceOps.NOT_DIFFERENTIABLE.contains(c.op()) || !c.hasBackward()) continue;
            // Casting to another float type cannot be checked in float64 (it rounds on purpose).
            if (c.op().equals("to") && c.attrs().dtype("dtype") != DType.FLOAT64) continue;
            if (!finiteOutputs(c)) continue;
            unique.putIfAbsent(signature(c), c);
        }
        return List.copyOf(unique.values());
    }

    /**
     * pow with a bool base has bases equal to 0, where the exponent's gradient is defined (0) but
     * its derivative is not (0 * log 0): PyTorch's own gradgradcheck fails there too.
     */
    private static boolean zeroBaseOfPow(OpCase c) {
        return c.op().equals("pow") && c.inputs().get(0).data().dtype() == DType.BOOL;
    }

    /** Finite differences of an infinite output are NaN (maskedFill with -inf): no such checks. */
    private static boolean finiteOutputs(OpCase c) {
        for (TensorData o : c.outputs()) {
            if (o.isFloat() && !Arrays.stream(o.floats()).allMatch(Double::isFinite)) return false;
        }
        return true;
    }

    private static String signature(OpCase c) {
        StringBuilder sb = new StringBuilder(c.op()).append(c.attrs());
        for (InputSpec in : c.inputs()) {
            sb.append('|').append(Arrays.toString(in.shape())).append(in.layout()).append(in.expandDim())
                    .append(in.grad()).append(in.domain());
            if (!in.data().isFloat()) sb.append(in.data().dtype()).append(Arrays.toString(in.data().ints()));
        }
        return sb.toString();
    }

    private static int floatElements(OpCase c) {
        int n = 0;
        for (InputSpec in : c.inputs()) if (in.grad()) n += TensorMeta.numel(in.baseShape());
        for (TensorData o : c.outputs()) if (o.isFloat()) n += o.numel();
        return n;
    }

    private static String shapes(OpCase c) {
        return c.inputs().stream().map(InputSpec::describe).toList() + " attrs " + c.attrs();
    }

    static void check(OpCase c, boolean secondOrder) {
        Random rnd = new Random(c.id().hashCode());
        List<InputSpec> specs = c.inputs();
        List<Tensor> leaves = new ArrayList<>();
        Tensor[] fixed = new Tensor[specs.size()];
        for (int k = 0; k < specs.size(); k++) {
            InputSpec s = specs.get(k);
            if (s.grad()) leaves.add(s.buildFloat64(TensorFactory.CPU, s.randomLeafValues(rnd)).leaf());
            else if (s.data().isFloat()) fixed[k] = s.buildFloat64(TensorFactory.CPU, s.randomLeafValues(rnd)).leaf();
            else fixed[k] = s.build().leaf();
        }
        var op = ReferenceOps.OPS.get(c.op());
        GradCheck.Fn f = xs -> {
            Tensor[] args = new Tensor[specs.size()];
            int next = 0;
            for (int k = 0; k < specs.size(); k++) {
                args[k] = specs.get(k).view(specs.get(k).grad() ? xs[next++] : fixed[k]);
            }
            List<Tensor> outs = new ArrayList<>();
            for (Tensor o : op.apply(args, c.attrs())) if (o.dtype().isFloatingPoint()) outs.add(o);
            // Several outputs (split, chunk, max.dim) are checked at once, flattened end to end.
            // A lone 0-d output is reshaped to [1] as well: GradCheck builds its one-hot output
            // gradient with Tensor.of(values, shape), which makes 1-D tensors for shape [].
            if (outs.size() == 1 && outs.get(0).dim() > 0) return outs.get(0);
            return Tensor.cat(outs.stream().map(o -> o.reshape(-1)).toList(), 0);
        };
        Tensor[] inputs = leaves.toArray(new Tensor[0]);
        String what = (secondOrder ? "gradgradcheck " : "gradcheck ") + c.id();
        boolean ok;
        try {
            ok = secondOrder ? GradCheck.gradgradcheck(f, inputs) : GradCheck.gradcheck(f, inputs);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(what + " " + shapes(c) + ": " + e.getMessage(), e);
        }
        assertTrue(ok, what + ": analytical and numerical gradients differ");
    }
}
