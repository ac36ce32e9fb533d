package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.Task;
import org.sinter.cli.train.TextTask;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.compiler.Compiler;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * The compiler's correctness bar on the model zoo: for every model, the compiled forward (fused
 * kernels) gives the eager output, and the compiled training step gives eager autograd's loss and
 * gradients (dropout and BatchNorm included; the text models on their next-character loss, with
 * gpt's tied head taking gradients from both of its uses).
 */
class CompiledZooTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void everyModelCompilesToTheEagerNumbers() throws java.io.IOException {
        assertForwardIsEager("forward", CompileOptions.defaults());
    }

    /** Frozen inference (what `sinter compile` and the benchmarks run): weights folded and packed, the GPT's Q/K/V merged. */
    @Test
    void everyFrozenModelCompilesToTheEagerNumbers() throws java.io.IOException {
        assertForwardIsEager("frozen forward", CompileOptions.defaults().withFrozenParameters());
    }

    private static void assertForwardIsEager(String what, CompileOptions options) throws java.io.IOException {
        for (ModelSpec spec : ModelSpec.values()) {
            Sinter.manualSeed(3);
            Module m = model(spec);
            m.eval();
            Tensor x = input(spec);
            CompiledFunction f = Compiler.compile(m, options);
            try (var _ = Sinter.noGrad()) {
                assertClose(spec.id + " " + what, m.forward(x), f.call(x)[0]);
            }
        }
    }

    @Test
    void everyModelTrainsToTheEagerGradients() throws java.io.IOException {
        for (ModelSpec spec : ModelSpec.values()) {
            Sinter.manualSeed(4);
            Module eager = model(spec);
            Sinter.manualSeed(4);
            Module compiled = model(spec);
            eager.train();
            compiled.train();
            Tensor x = input(spec);
            Tensor y = spec.kind == Task.Kind.TEXT ? Tensor.randint(0, 16, x.shape()) : Tensor.randint(0, 10, 4);
            java.util.function.BiFunction<Tensor, Tensor, Tensor> lossFn = spec.kind == Task.Kind.TEXT ? TextTask.forTraining(spec, null)::loss
                    : spec.logProbabilities ? F::nllLoss : F::crossEntropy;
            Sinter.manualSeed(9);
            Tensor le = lossFn.apply(eager.forward(x), y);
            le.backward();
            var step = new CompiledTrainingStep(compiled, lossFn);
            step.graph(x, y); // tracing draws nothing, so the compiled step sees the same dropout masks
            Sinter.manualSeed(9);
            Tensor lc = step.step(x, y);
            assertEquals(le.item(), lc.item(), TOLERANCE, spec.id + " loss");
            List<Tensor> pe = eager.parameters(), pc = compiled.parameters();
            for (int i = 0; i < pe.size(); i++) assertClose(spec.id + " gradient " + i, pe.get(i).grad(), pc.get(i).grad());
        }
    }

    /** A fresh model; the text models with the bundled text's vocabulary. */
    private static Module model(ModelSpec spec) throws java.io.IOException {
        return spec.kind == Task.Kind.TEXT ? TextTask.forTraining(spec, null).createModel() : spec.create();
    }

    private static Tensor input(ModelSpec spec) {
        return spec.kind == Task.Kind.TEXT ? Tensor.randint(0, 16, 2, TextTask.CONTEXT) : Tensor.randn(4, 1, 28, 28);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], TOLERANCE + TOLERANCE * Math.abs(e[i]), what + " element " + i);
    }
}
