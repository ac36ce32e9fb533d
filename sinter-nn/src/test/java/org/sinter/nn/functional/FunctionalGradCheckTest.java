package org.sinter.nn.functional;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autograd.GradCheck;
import org.sinter.testing.InputSpec;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.OpCase;
import org.sinter.testing.TensorFactory;

/**
 * Gradients against central finite differences in float64: first order on every fixture case
 * small enough to keep the run short (the fixture's values in float64, same layouts), and second
 * order (gradgradcheck) on small convolutions, transposed convolutions, pools, embedding, linear,
 * norms and losses.
 */
class FunctionalGradCheckTest {
    /** Finite differences cost two forwards per input element and a backward per output element. */
    static final int MAX_ELEMENTS = 700;

    @TestFactory
    Stream<DynamicTest> gradcheckFixtureCases() {
        return FunctionalReferenceTest.fixtures().cases().stream()
                .filter(c -> c.hasBackward() && elements(c) <= MAX_ELEMENTS && !paddedEmbedding(c))
                .map(c -> DynamicTest.dynamicTest("gradcheck:" + c.id(), () -> KnownFailures.run("gradcheck:" + c.id(),
                        () -> assertTrue(GradCheck.gradcheck(fn(c), leaves(c))))));
    }

    /** padding_idx withholds the gradient of a row that is used: not a derivative, by design (PyTorch's too). */
    static boolean paddedEmbedding(OpCase c) {
        return c.op().equals("embedding") && !c.attrs().isText("paddingIdx");
    }

    static int elements(OpCase c) {
        int n = 0;
        for (InputSpec in : c.inputs()) if (in.grad()) n += in.data().floats().length;
        for (int i = 0; i < c.outputs().size(); i++) if (c.gradOutputs().get(i) != null) n += c.outputs().get(i).floats().length;
        return n;
    }

    /** float64 leaves for the inputs that require grad. */
    static Tensor[] leaves(OpCase c) {
        List<Tensor> out = new ArrayList<>();
        for (InputSpec in : c.inputs()) if (in.grad()) out.add(float64(in).leaf());
        return out.toArray(new Tensor[0]);
    }

    /** Leaf and view of an input with the fixture's values in float64 (strided filler 0, as fixtures have no values there). */
    static InputSpec.Built float64(InputSpec in) {
        return in.buildFloat64(TensorFactory.CPU, in.leafValues(0));
    }

    /** The case's call on float64 inputs, its differentiable outputs flattened end to end. */
    static GradCheck.Fn fn(OpCase c) {
        Tensor[] fixed = new Tensor[c.inputs().size()];
        for (int i = 0; i < fixed.length; i++) {
            InputSpec in = c.inputs().get(i);
            if (!in.grad()) fixed[i] = in.data().isFloat() ? float64(in).view() : in.build().view();
        }
        return xs -> {
            Tensor[] args = new Tensor[fixed.length];
            int next = 0;
            for (int i = 0; i < args.length; i++) {
                InputSpec in = c.inputs().get(i);
                // Fresh copies of stateful inputs (running statistics) so every evaluation starts alike.
                args[i] = in.grad() ? in.view(xs[next++]) : fixed[i].isFloatingPoint() ? fixed[i].detach().clone() : fixed[i];
            }
            Tensor[] outs = NnReferenceOps.OPS.get(c.op()).apply(args, c.attrs());
            List<Tensor> diff = new ArrayList<>();
            for (int i = 0; i < outs.length; i++) if (c.gradOutputs().get(i) != null) diff.add(outs[i].reshape(-1));
            return diff.size() == 1 && outs[0].dim() > 0 && diff.get(0).numel() == outs[0].numel() ? diff.get(0).reshape(outs[0].shape())
                    : Tensor.cat(diff, 0);
        };
    }

    private static Tensor rand(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).requiresGrad(true);
    }

    @Test
    void secondOrderConvolutions() {
        Sinter.manualSeed(7);
        Tensor x = rand(2, 4, 5, 5), w = rand(4, 2, 3, 3), b = rand(4);
        assertTrue(GradCheck.gradgradcheck(t -> F.conv2d(t[0], t[1], t[2], new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, 2), x, w, b));
        Tensor y = rand(1, 3, 3, 4), wt = rand(3, 2, 2, 3), bt = rand(2);
        assertTrue(GradCheck.gradgradcheck(t -> F.convTranspose2d(t[0], t[1], t[2], new int[] {2}, new int[] {1}, new int[] {1}, 1,
                new int[] {1}), y, wt, bt));
        Tensor x1 = rand(2, 3, 7), w1 = rand(2, 3, 3);
        assertTrue(GradCheck.gradgradcheck(t -> F.conv1d(t[0], t[1], null, 2, 1, 2, 1), x1, w1));
        Tensor xp = rand(2, 3, 4, 4), wp = rand(5, 3, 1, 1);
        assertTrue(GradCheck.gradgradcheck(t -> F.conv2d(t[0], t[1]), xp, wp));
    }

    @Test
    void secondOrderPoolsEmbeddingLinear() {
        Sinter.manualSeed(8);
        Tensor x = rand(1, 2, 5, 5);
        assertTrue(GradCheck.gradgradcheck(t -> F.maxPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true), x));
        assertTrue(GradCheck.gradgradcheck(t -> F.avgPool2d(t[0], new int[] {3}, new int[] {2}, new int[] {1}, true, false, 0), x));
        assertTrue(GradCheck.gradgradcheck(t -> F.adaptiveAvgPool2d(t[0], 2, 3), x));
        Tensor w = rand(5, 3);
        Tensor idx = Tensor.of(new long[] {0, 2, 2, 4, 1}, 5);
        assertTrue(GradCheck.gradgradcheck(t -> F.embedding(idx, t[0]).mul(t[0].sum()), w));
        // With padding_idx the weight gradient skips the padding row; that gradient, a function of
        // the upstream gradient, must itself differentiate correctly (padding positions get 0).
        Tensor g = rand(5, 3);
        assertTrue(GradCheck.gradcheck(t -> {
            try (var _ = Sinter.enableGrad()) {
                return org.sinter.Autograd.grad(List.of(F.embedding(idx, w, 2)), List.of(w), List.of(t[0]), true, true, false).get(0);
            }
        }, g));
        Tensor a = rand(3, 4), lw = rand(2, 4), lb = rand(2);
        assertTrue(GradCheck.gradgradcheck(t -> F.linear(t[0], t[1], t[2]).tanh(), a, lw, lb));
    }

    @Test
    void secondOrderNormsAndLosses() {
        Sinter.manualSeed(9);
        Tensor x = rand(3, 2, 2), w = rand(2), b = rand(2);
        assertTrue(GradCheck.gradgradcheck(t -> F.batchNorm(t[0], null, null, t[1], t[2], true), x, w, b));
        assertTrue(GradCheck.gradgradcheck(t -> F.groupNorm(t[0].reshape(1, 2, 6), 2, t[1], t[2]), x, w, b));
        assertTrue(GradCheck.gradgradcheck(t -> F.layerNorm(t[0], new int[] {2}, t[1], t[2]), x, w, b));
        Tensor logits = rand(4, 3);
        Tensor target = Tensor.of(new long[] {0, 2, 1, 2}, 4);
        assertTrue(GradCheck.gradgradcheck(t -> F.crossEntropy(t[0], target, null, -100, Reduction.MEAN, 0.1), logits));
        Tensor tgt = Tensor.rand(DType.FLOAT64, 4, 3);
        assertTrue(GradCheck.gradgradcheck(t -> F.binaryCrossEntropyWithLogits(t[0], tgt), logits));
        assertTrue(GradCheck.gradgradcheck(t -> F.binaryCrossEntropy(t[0].sigmoid(), tgt), logits));
        assertTrue(GradCheck.gradgradcheck(t -> F.klDiv(t[0].logSoftmax(1), tgt, Reduction.BATCHMEAN, false), logits));
    }
}
