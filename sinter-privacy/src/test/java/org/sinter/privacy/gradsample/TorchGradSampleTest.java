package org.sinter.privacy.gradsample;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.nn.Conv1d;
import org.sinter.nn.ConvTranspose2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;
import org.sinter.nn.functional.F;
import org.sinter.privacy.TorchFixtures;

/**
 * Per-sample gradients against PyTorch's, computed there by one backward pass per sample
 * ({@code tools/fixtures/gen_privacy.py}); same weights and inputs, float64.
 */
class TorchGradSampleTest {
    @Test
    void conv1dNetworkMatchesPyTorchsLoopOverSamples() throws IOException {
        TorchFixtures.Case c = TorchFixtures.load(TorchGradSampleTest.class, "torch_grad_samples.txt").get("conv1d");
        Module model = new Sequential(
                new Conv1d(3, 4, 3, 2, 1, 1, 1, true, "zeros"), new Tanh(),
                new Conv1d(4, 4, 3, 1, "same", 1, 2, true, "reflect"), new Tanh(),
                new Conv1d(4, 2, 2, 1, 0, 2, 1, false, "zeros"), new Flatten(), new Linear(8, 3)).to(DType.FLOAT64);
        check(c, model, 7);
    }

    @Test
    void convTranspose2dNetworkMatchesPyTorchsLoopOverSamples() throws IOException {
        TorchFixtures.Case c = TorchFixtures.load(TorchGradSampleTest.class, "torch_grad_samples.txt").get("conv_transpose2d");
        Module model = new Sequential(
                new ConvTranspose2d(2, 4, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1, true, new int[] {1}), new Tanh(),
                new ConvTranspose2d(4, 2, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {0}, 2, false, new int[] {2}),
                new Flatten(), new Linear(128, 3)).to(DType.FLOAT64);
        check(c, model, 5);
    }

    private static void check(TorchFixtures.Case c, Module model, int parameters) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : model.stateDict().keySet()) state.put(k, c.tensor("param." + k));
        model.loadStateDict(state, true);
        var gsm = new GradSampleModule(model, GradSampleModule.LossReduction.MEAN);
        F.crossEntropy(gsm.forward(c.tensor("x")), c.tensor("y").to(DType.INT64)).backward();
        Map<Tensor, Tensor> samples = gsm.gradSamples();
        assertEquals(parameters, samples.size());
        for (var e : model.namedParameters().entrySet()) {
            Tensor expected = c.tensor("grad_sample." + e.getKey()), got = samples.get(e.getValue());
            assertArrayEquals(expected.shape(), got.shape(), e.getKey());
            assertTrue(got.allclose(expected, 1e-9, 1e-12), e.getKey() + ": " + got + " vs PyTorch " + expected);
        }
    }
}
