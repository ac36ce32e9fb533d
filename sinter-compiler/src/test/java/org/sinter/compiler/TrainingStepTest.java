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
        List<Tensor> pe = eager.parameters(), pc = compiled.parameters();
        for (int i = 0; i < pe.size(); i++) {
            float[] a = pe.get(i).grad().toFloatArray(), b = pc.get(i).grad().toFloatArray();
            for (int k = 0; k < a.length; k++) assertEquals(a[k], b[k], 1e-6 + 1e-5 * Math.abs(a[k]), "parameter " + i + " element " + k);
        }
        assertTrue(step.graph(x, y).nodes().size() > 20, "forward and backward in one graph");
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
    void dropoutIsRefusedClearly() {
        Module m = new Sequential(new Linear(4, 4), new Dropout(0.5), new Linear(4, 2));
        var step = new CompiledTrainingStep(m, F::crossEntropy);
        var e = assertThrows(UnsupportedOperationException.class, () -> step.step(Tensor.randn(3, 4), Tensor.randint(0, 2, 3)));
        assertTrue(e.getMessage().contains("cannot be traced into a graph yet"), e.getMessage());
    }
}
