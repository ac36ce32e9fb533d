package org.sinter.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;

/** A compiled forward-and-backward step gives eager autograd's loss and gradients, and trains identically. */
class TrainingStepTest {
    private static Module convNet() {
        return new Sequential(new Conv2d(1, 4, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 5 * 5, 16), new ReLU(),
                new Linear(16, 10));
    }

    @Test
    void gradientsMatchEagerAutograd() {
        Sinter.manualSeed(21);
        Module eager = convNet();
        Sinter.manualSeed(21);
        Module compiled = convNet();
        Tensor x = Tensor.randn(8, 1, 12, 12), y = Tensor.randint(0, 10, 8);
        Tensor eagerLoss = F.crossEntropy(eager.forward(x), y);
        eagerLoss.backward();
        var step = new CompiledTrainingStep(compiled, F::crossEntropy);
        Tensor loss = step.step(x, y);
        assertEquals(eagerLoss.item(), loss.item(), 1e-6);
        assertSameGradients(eager, compiled);
        assertTrue(step.graph(x, y).nodes().size() > 20, "forward and backward in one graph");
    }

    /** The two models' parameters have the same gradients, to float32 rounding (the compiled step sums in another order). */
    static void assertSameGradients(Module eager, Module compiled) {
        List<Tensor> pe = eager.parameters(), pc = compiled.parameters();
        for (int i = 0; i < pe.size(); i++) {
            float[] a = pe.get(i).grad().toFloatArray(), b = pc.get(i).grad().toFloatArray();
            for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-6 + 1e-5 * Math.abs(a[k]), "parameter " + i + " element " + k);
        }
    }

    @Test
    void trainsLikeEager() {
        Sinter.manualSeed(22);
        Module eager = convNet();
        Sinter.manualSeed(22);
        Module compiled = convNet();
        var optE = new SGD(eager.parameters(), 0.05);
        var optC = new SGD(compiled.parameters(), 0.05);
        var step = new CompiledTrainingStep(compiled, F::crossEntropy);
        Sinter.manualSeed(5);
        for (int i = 0; i < 5; i++) {
            Tensor x = Tensor.randn(8, 1, 12, 12), y = Tensor.randint(0, 10, 8);
            optE.zeroGrad();
            Tensor le = F.crossEntropy(eager.forward(x), y);
            le.backward();
            optE.step();
            optC.zeroGrad();
            Tensor lc = step.step(x, y);
            optC.step();
            assertEquals(le.item(), lc.item(), 1e-5, "step " + i);
        }
    }

    @Test
    void dropoutDrawsTheEagerRandomNumbers() {
        Sinter.manualSeed(30);
        Module eager = new Sequential(new Linear(6, 16), new ReLU(), new Dropout(0.5), new Linear(16, 3));
        Sinter.manualSeed(30);
        Module compiled = new Sequential(new Linear(6, 16), new ReLU(), new Dropout(0.5), new Linear(16, 3));
        Tensor x = Tensor.randn(5, 6), y = Tensor.randint(0, 3, 5);
        var step = new CompiledTrainingStep(compiled, F::crossEntropy);
        step.graph(x, y); // trace first: tracing draws nothing
        for (int round = 0; round < 2; round++) {
            eager.zeroGrad();
            compiled.zeroGrad();
            Sinter.manualSeed(100 + round);
            Tensor le = F.crossEntropy(eager.forward(x), y);
            le.backward();
            Sinter.manualSeed(100 + round);
            Tensor lc = step.step(x, y);
            assertEquals(le.item(), lc.item(), 1e-6, "round " + round);
            float[] a = eager.parameters().get(0).grad().toFloatArray(), b = compiled.parameters().get(0).grad().toFloatArray();
            for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-6, "element " + k);
        }
        assertEquals(1, step.graph(x, y).randomInputs().size(), "one mask drawn per step");
    }

    @Test
    void batchNormTrainsAndUpdatesItsRunningStatisticsLikeEager() {
        Sinter.manualSeed(31);
        Module eager = new Sequential(new Conv2d(1, 4, 3), new org.sinter.nn.BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 4 * 4, 3));
        Sinter.manualSeed(31);
        Module compiled = new Sequential(new Conv2d(1, 4, 3), new org.sinter.nn.BatchNorm2d(4), new ReLU(), new Flatten(), new Linear(4 * 4 * 4, 3));
        var step = new CompiledTrainingStep(compiled, F::crossEntropy);
        Sinter.manualSeed(8);
        for (int i = 0; i < 3; i++) {
            Tensor x = Tensor.randn(6, 1, 6, 6), y = Tensor.randint(0, 3, 6);
            eager.zeroGrad();
            compiled.zeroGrad();
            Tensor le = F.crossEntropy(eager.forward(x), y);
            le.backward();
            assertEquals(le.item(), step.step(x, y).item(), 1e-6, "step " + i);
        }
        var be = eager.namedBuffers();
        var bc = compiled.namedBuffers();
        for (String k : be.keySet()) {
            float[] a = be.get(k).toFloatArray(), b = bc.get(k).toFloatArray();
            for (int j = 0; j < a.length; j++) assertEquals(a[j], b[j], 1e-6, k + "[" + j + "]");
        }
        assertTrue(step.graph(Tensor.randn(6, 1, 6, 6), Tensor.randint(0, 3, 6)).updates().size() >= 2, "running mean and var are written back");
    }

    /** An embedding read at fixed positions, added to the input, as GPT's position embedding is. */
    private static final class FixedPositions extends Module {
        final org.sinter.nn.Embedding embedding = registerModule("embedding", new org.sinter.nn.Embedding(10, 4));

        @Override
        public Tensor forward(Tensor x) {
            return embedding.forward(Tensor.of(new long[] {3, 1, 3, 7}, 4)).add(x);
        }
    }

    /** The positions are a constant the trace bakes in, and the embedding's backward reads them again. */
    @Test
    void aConstantSavedForTheBackwardIsTheSameValue() {
        Sinter.manualSeed(32);
        var eager = new FixedPositions();
        Sinter.manualSeed(32);
        var compiled = new FixedPositions();
        java.util.function.BiFunction<Tensor, Tensor, Tensor> loss = (out, target) -> out.mul(target).sum();
        Tensor x = Tensor.randn(4, 4), target = Tensor.randn(4, 4);
        loss.apply(eager.forward(x), target).backward();
        new CompiledTrainingStep(compiled, loss).step(x, target);
        float[] a = eager.embedding.weight.grad().toFloatArray(), b = compiled.embedding.weight.grad().toFloatArray();
        for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 0, "element " + k);
    }

    @Test
    void writesIntoInputsAreRefusedClearly() {
        var e = assertThrows(UnsupportedOperationException.class, () -> org.sinter.compiler.capture.Tracer.trace(in -> new Tensor[] {in[0].add_(1.0)},
                List.of(new org.sinter.ops.TensorSpec(new int[] {2}, org.sinter.DType.FLOAT32)), java.util.Map.of()));
        assertTrue(e.getMessage().contains("a graph cannot change the tensors it is given"), e.getMessage());
    }
}
