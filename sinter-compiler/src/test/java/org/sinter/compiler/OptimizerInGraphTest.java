package org.sinter.compiler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.ir.GraphText;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.optim.SGD;
import org.sinter.optim.lr.StepLR;

/** Forward, backward and the optimizer update as one graph: the same parameters, step for step, as eager training. */
class OptimizerInGraphTest {
    private static Module mlp() {
        return new Sequential(new Flatten(), new Linear(36, 24), new ReLU(), new Linear(24, 10));
    }

    private static void trainsLikeEager(Function<Module, Optimizer> makeOptimizer, boolean schedule, int interOp) {
        Sinter.manualSeed(31);
        Module eager = mlp();
        Sinter.manualSeed(31);
        Module compiled = mlp();
        Optimizer optE = makeOptimizer.apply(eager), optC = makeOptimizer.apply(compiled);
        StepLR schedE = schedule ? new StepLR(optE, 2, 0.5) : null, schedC = schedule ? new StepLR(optC, 2, 0.5) : null;
        // Several inter-op threads: the update must still wait for every step that reads the weights.
        var step = new CompiledTrainingStep(compiled, F::crossEntropy, optC, CompileOptions.defaults().withInterOpThreads(interOp));
        Sinter.manualSeed(5);
        for (int i = 0; i < 6; i++) {
            Tensor x = Tensor.randn(16, 1, 6, 6), y = Tensor.randint(0, 10, 16);
            optE.zeroGrad();
            Tensor le = F.crossEntropy(eager.forward(x), y);
            le.backward();
            optE.step();
            Tensor lc = step.step(x, y);
            if (schedule) {
                schedE.step();
                schedC.step();
            }
            assertEquals(le.item(), lc.item(), 1e-6, "loss at step " + i);
            List<Tensor> pe = eager.parameters(), pc = compiled.parameters();
            for (int k = 0; k < pe.size(); k++) {
                float[] a = pe.get(k).toFloatArray(), b = pc.get(k).toFloatArray();
                for (int j = 0; j < a.length; j++) assertEquals(a[j], b[j], 1e-6 * (1 + Math.abs(a[j])), "parameter " + k + "[" + j + "] after step " + i);
                assertArrayEquals(pe.get(k).grad().shape(), pc.get(k).grad().shape(), "the step leaves the gradients in .grad");
            }
        }
        // The update is the graph's last node, reading every parameter and its gradient.
        String text = GraphText.print(step.graph(Tensor.randn(16, 1, 6, 6), Tensor.randint(0, 10, 16)));
        assertTrue(text.contains("optimizer_step"), text);
    }

    @Test
    void sgdWithMomentumAndAScheduleTrainsLikeEager() {
        trainsLikeEager(m -> new SGD(m.parameters(), SGD.options().lr(0.1).momentum(0.9)), true, 1);
    }

    @Test
    void adamTrainsLikeEager() {
        trainsLikeEager(m -> new Adam(m.parameters(), 0.01), false, 1);
    }

    @Test
    void theUpdateWaitsForEveryReaderUnderInterOpParallelism() {
        trainsLikeEager(m -> new Adam(m.parameters(), 0.01), false, 3);
    }

    @Test
    void anOptimizerOverOtherParametersIsRefused() {
        Module m = mlp(), other = mlp();
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CompiledTrainingStep(m, F::crossEntropy, new SGD(other.parameters(), 0.1), CompileOptions.defaults()));
        assertTrue(e.getMessage().contains("does not update trainable parameter"), e.getMessage());
    }
}
