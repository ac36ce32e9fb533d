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
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.compiler.Compiler;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * The compiler's correctness bar on the model zoo: for every model, the compiled forward (fused
 * kernels) gives the eager output, and for every image model the compiled training step gives
 * eager autograd's loss and gradients (dropout and BatchNorm included).
 */
class CompiledZooTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void everyModelCompilesToTheEagerNumbers() throws java.io.IOException {
        for (ModelSpec spec : ModelSpec.values()) {
            Sinter.manualSeed(3);
            Module m = spec.kind == Task.Kind.TEXT ? TextTask.forTraining(null).createModel() : spec.create();
            m.eval();
            Tensor x = spec.kind == Task.Kind.TEXT ? Tensor.randint(0, 16, 2, TextTask.CONTEXT) : Tensor.randn(4, 1, 28, 28);
            CompiledFunction f = Compiler.compile(m);
            try (var _ = Sinter.noGrad()) {
                assertClose(spec.id + " forward", m.forward(x), f.call(x)[0]);
            }
        }
    }

    @Test
    void everyImageModelTrainsToTheEagerGradients() {
        for (ModelSpec spec : ModelSpec.values()) {
            if (spec.kind != Task.Kind.IMAGE) continue;
            Sinter.manualSeed(4);
            Module eager = spec.create();
            Sinter.manualSeed(4);
            Module compiled = spec.create();
            eager.train();
            compiled.train();
            Tensor x = Tensor.randn(4, 1, 28, 28), y = Tensor.randint(0, 10, 4);
            java.util.function.BiFunction<Tensor, Tensor, Tensor> lossFn = spec.logProbabilities ? F::nllLoss : F::crossEntropy;
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

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], TOLERANCE + TOLERANCE * Math.abs(e[i]), what + " element " + i);
    }
}
