package org.sinter.compiler.reference;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledFunction;
import org.sinter.nn.functional.NnReferenceOps;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.InputSpec;
import org.sinter.testing.OpCall;
import org.sinter.testing.OpCase;
import org.sinter.testing.OpFixtures;
import org.sinter.testing.TensorData;
import org.sinter.testing.Tolerances;

/**
 * Every functional fixture of sinter-nn (nn_functional.json.gz: convolutions, pooling, norms,
 * embedding, linear, bilinear, every loss) compiled: the call is compiled with the case's inputs
 * in their layouts (transposed, strided, expanded views) as graph inputs, and its outputs
 * (inference, fused kernels) and its inputs' gradients (through the compiled function with
 * autograd on, and through the traced forward-and-backward graph) equal PyTorch's and eager
 * Sinter's, to the functional tolerances ({@link Tolerances#forOp}, {@link Tolerances#forGradient}).
 * batchNorm updating its running statistics is refused as a graph of its inputs (naming the op) and
 * checked compiled with them bound, as the BatchNorm module binds them ({@link #writesIntoInputs}).
 */
class FunctionalFixturesCompiledTest {

    @TestFactory
    Stream<DynamicTest> everyFunctionalCaseCompilesToTheEagerAndPyTorchNumbers() {
        return OpFixtures.load(FixtureFile.NN_FUNCTIONAL).cases().stream()
                .map(c -> DynamicTest.dynamicTest("compiled:" + c.id(), () -> check(c)));
    }

    @AfterAll
    static void printDifferences() {
        System.out.println("functional fixtures, compiled:\n" + CompiledRuns.summary("functional "));
    }

    private static void check(OpCase c) {
        OpCall op = NnReferenceOps.OPS.get(c.op());
        // Each run builds its inputs afresh: some calls write into theirs (batchNorm's running statistics).
        List<InputSpec.Built> e = build(c);
        Tensor[] eager = op.apply(views(e), c.attrs());
        Tensor[] eagerGrads = new Tensor[e.size()];
        if (c.hasBackward()) {
            upstreamLoss(c, eager).backward();
            for (int k = 0; k < e.size(); k++) eagerGrads[k] = e.get(k).leaf().grad();
        }

        if (writesIntoInputs(c)) {
            var refused = assertThrows(UnsupportedOperationException.class, () -> CompiledRuns.inference(asGraphInputs(c, op), views(build(c))));
            assertTrue(refused.getMessage().contains("writes into the graph's input") && refused.getMessage().contains("mul_"), refused.getMessage());
        }
        Tensor[] compiled = runCompiled(c, op, build(c), false);
        compareOutputs(c, "functional outputs, inference", compiled, eager);
        if (!c.hasBackward()) return;

        List<InputSpec.Built> r = build(c);
        upstreamLoss(c, runCompiled(c, op, r, true)).backward();
        compareGrads(c, "functional gradients, recording", k -> r.get(k).leaf().grad(), eagerGrads);

        // Forward and backward in one graph: the leaves are bound, the layouts' views taken inside.
        List<InputSpec.Built> t = build(c);
        Map<String, Tensor> bound = new LinkedHashMap<>();
        for (int k = 0; k < t.size(); k++) bound.put("input." + k, t.get(k).leaf());
        CompiledRuns.Traced traced = CompiledRuns.tracedBackward(() -> {
            Tensor[] outs = op.apply(viewsOfLeaves(c, t), c.attrs());
            List<Tensor> all = new ArrayList<>(List.of(upstreamLoss(c, outs)));
            all.addAll(List.of(outs));
            return all.toArray(Tensor[]::new);
        }, bound);
        Tensor[] outs = java.util.Arrays.copyOfRange(traced.lossAndOutputs(), 1, traced.lossAndOutputs().length);
        compareOutputs(c, "functional outputs, traced backward", outs, eager);
        compareGrads(c, "functional gradients, traced backward", k -> traced.grads().get(t.get(k).leaf()), eagerGrads);
    }

    /**
     * batchNorm in training with running statistics updates them in place. A graph does not write
     * into the tensors it is given (the tracer refuses, naming the op); compiled as the BatchNorm
     * module is, with the statistics bound to the graph as buffers, the writes become the graph's
     * updates. {@link #runCompiled} binds such a case's inputs.
     */
    private static boolean writesIntoInputs(OpCase c) {
        return c.op().equals("batchNorm") && c.attrs().b("running") && c.attrs().b("training");
    }

    private static CompiledFunction asGraphInputs(OpCase c, OpCall op) {
        return CompiledRuns.compile(t -> op.apply(t, c.attrs()), Map.of());
    }

    /** The case compiled and run on {@code built}: as graph inputs, or bound (see {@link #writesIntoInputs}); autograd recording or not. */
    private static Tensor[] runCompiled(OpCase c, OpCall op, List<InputSpec.Built> built, boolean record) {
        CompiledFunction f;
        Tensor[] args;
        if (writesIntoInputs(c)) {
            Map<String, Tensor> bound = new LinkedHashMap<>();
            for (int k = 0; k < built.size(); k++) bound.put("input." + k, built.get(k).leaf());
            f = CompiledRuns.compile(none -> op.apply(viewsOfLeaves(c, built), c.attrs()), bound);
            args = new Tensor[0];
        } else {
            f = asGraphInputs(c, op);
            args = views(built);
        }
        return record ? f.call(args) : CompiledRuns.inference(f, args);
    }

    /** Each input's layout taken of its leaf, where the leaf is what the graph reads (a bound tensor). */
    private static Tensor[] viewsOfLeaves(OpCase c, List<InputSpec.Built> built) {
        Tensor[] views = new Tensor[built.size()];
        for (int k = 0; k < views.length; k++) views[k] = c.inputs().get(k).view(built.get(k).leaf());
        return views;
    }

    private static List<InputSpec.Built> build(OpCase c) {
        return c.inputs().stream().map(InputSpec::build).toList();
    }

    private static Tensor[] views(List<InputSpec.Built> built) {
        return built.stream().map(InputSpec.Built::view).toArray(Tensor[]::new);
    }

    /** The sum over outputs with an upstream gradient of (output · upstream gradient): its backward gives PyTorch's gradients. */
    private static Tensor upstreamLoss(OpCase c, Tensor[] outs) {
        Tensor loss = null;
        for (int i = 0; i < outs.length; i++) {
            TensorData g = c.gradOutputs().get(i);
            if (g == null) continue;
            Tensor term = outs[i].mul(g.toTensor()).sum();
            loss = loss == null ? term : loss.add(term);
        }
        return loss;
    }

    private static void compareOutputs(OpCase c, String kind, Tensor[] compiled, Tensor[] eager) {
        for (int i = 0; i < compiled.length; i++) {
            TensorData expected = c.outputs().get(i);
            var tol = Tolerances.forOp(c.op(), expected.dtype(), false);
            CompiledRuns.againstPyTorch(kind, c.id() + " output " + i, compiled[i], expected, tol);
            CompiledRuns.againstEager(kind, c.id() + " output " + i, compiled[i], eager[i], tol);
        }
    }

    private static void compareGrads(OpCase c, String kind, java.util.function.IntFunction<Tensor> leafGrad, Tensor[] eagerGrads) {
        for (int k = 0; k < c.inputs().size(); k++) {
            TensorData expected = c.grads().get(k);
            if (expected == null) continue;
            Tensor g = leafGrad.apply(k);
            if (g == null) { // no gradient flowed: right only where eager agrees and PyTorch's is zero
                if (eagerGrads[k] != null || !java.util.Arrays.stream(expected.floats()).allMatch(v -> v == 0)) {
                    throw new AssertionError(c.id() + " grad of input " + k + ": none reached the input; eager's and PyTorch's did");
                }
                continue;
            }
            var tol = Tolerances.forGradient(c, expected.dtype());
            InputSpec in = c.inputs().get(k);
            CompiledRuns.againstPyTorch(kind, c.id() + " grad of input " + k, in.gradSeenThroughLayout(g), expected, tol);
            CompiledRuns.againstEager(kind, c.id() + " grad of input " + k, g, eagerGrads[k], tol);
        }
    }
}
