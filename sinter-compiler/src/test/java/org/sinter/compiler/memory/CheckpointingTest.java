package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.compiler.capture.Tracer;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Verifier;
import org.sinter.compiler.passes.PassManager;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Dropout;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.ops.TensorSpec;
import org.sinter.optim.SGD;

/** Activation checkpointing: a training step fits half its planned memory and still trains bit for bit the same. */
class CheckpointingTest {
    /** Eight same-size convolutions: many activations kept for the backward, as in a deep network. */
    private static Module net() {
        List<Module> layers = new java.util.ArrayList<>(List.of(new Conv2d(1, 8, 3, 1, 1), new ReLU()));
        for (int i = 0; i < 7; i++) {
            layers.add(new Conv2d(8, 8, 3, 1, 1));
            layers.add(new ReLU());
        }
        layers.addAll(List.of(new Dropout(0.25), new Flatten(), new Linear(8 * 16 * 16, 10)));
        return new Sequential(layers.toArray(Module[]::new));
    }

    private static Graph step(Module m) {
        Map<String, Tensor> state = new LinkedHashMap<>(m.namedParameters());
        return PassManager.standard().run(Tracer.traceGradients(in -> new Tensor[] {F.crossEntropy(m.forward(in[0]), in[1])},
                List.of(new TensorSpec(new int[] {16, 1, 16, 16}, DType.FLOAT32), new TensorSpec(new int[] {16}, DType.INT64)), state)).graph();
    }

    @Test
    void halfThePlannedPeakFitsByRecomputing() {
        Sinter.manualSeed(41);
        Graph g = step(net());
        long planned = MemoryPlanner.plan(g, MemoryPlanner::elementwise).plannedBytes();
        Checkpointing.Result r = Checkpointing.fit(g, planned / 2);
        Verifier.verify(r.graph());
        r.plan().verify();
        assertTrue(r.plan().plannedBytes() <= planned / 2, r.plan().summary() + " vs " + planned);
        assertTrue(r.recomputed() > 0 && r.every() > 1, "recomputed " + r.recomputed());
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpointing.fit(g, 1024));
        assertTrue(e.getMessage().startsWith("checkpointing: no checkpoint spacing fits the budget of"), e.getMessage());
    }

    @Test
    void checkpointedTrainingGivesTheSameLossesAndWeights() {
        Sinter.manualSeed(42);
        Module a = net();
        Sinter.manualSeed(42);
        Module b = net();
        long planned = MemoryPlanner.plan(step(net()), MemoryPlanner::elementwise).plannedBytes();
        var plain = new CompiledTrainingStep(a, F::crossEntropy);
        var checkpointed = new CompiledTrainingStep(b, F::crossEntropy, CompileOptions.defaults().withMemoryBudget(planned / 2));
        var optA = new SGD(a.parameters(), 0.05);
        var optB = new SGD(b.parameters(), 0.05);
        for (int i = 0; i < 4; i++) {
            Sinter.manualSeed(200 + i);
            Tensor x = Tensor.randn(16, 1, 16, 16), y = Tensor.randint(0, 10, 16);
            optA.zeroGrad();
            optB.zeroGrad();
            Sinter.manualSeed(300 + i);
            double la = plain.step(x, y).item();
            Sinter.manualSeed(300 + i);
            double lb = checkpointed.step(x, y).item();
            assertEquals(la, lb, 0.0, "step " + i);
            optA.step();
            optB.step();
        }
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).toFloatArray(), b.parameters().get(i).toFloatArray(), 0f, "parameter " + i);
        }
    }
}
