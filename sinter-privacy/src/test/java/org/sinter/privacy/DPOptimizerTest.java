package org.sinter.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Bilinear;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.optim.SGD;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.gradsample.GradSampleModule;

class DPOptimizerTest {

    static Module smallCnn() {
        return new Sequential(new Conv2d(1, 3, 3, 1, 1), new ReLU(), new Flatten(), new Linear(3 * 4 * 4, 3)).to(DType.FLOAT64);
    }

    /** A conv net with BatchNorm in eval mode and a Bilinear head (the same hidden vector as both its inputs). */
    static final class BatchNormBilinearNet extends Module {
        final Conv2d conv = registerModule("conv", new Conv2d(1, 3, 3, 1, 1));
        final BatchNorm2d bn = registerModule("bn", new BatchNorm2d(3));
        final Linear fc = registerModule("fc", new Linear(3 * 4 * 4, 4));
        final Bilinear head = registerModule("head", new Bilinear(4, 4, 3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = fc.forward(bn.forward(conv.forward(x)).tanh().flatten(1, -1)).tanh();
            return head.forward(h, h);
        }
    }

    @Test
    void withoutNoiseTheGradientIsTheSumOfClippedPerSampleGradientsOverTheExpectedBatch() {
        Sinter.manualSeed(11);
        assertClippedSum(smallCnn(), Tensor.randn(DType.FLOAT64, 5, 1, 4, 4).mul(3.0), Tensor.randint(0, 3, 5));
    }

    @Test
    void aStepThroughBilinearAndEvalModeBatchNormClipsEachSampleAlone() {
        Sinter.manualSeed(13);
        Module model = new BatchNormBilinearNet().to(DType.FLOAT64);
        try (var _ = Sinter.noGrad()) {
            BatchNorm2d bn = ((BatchNormBilinearNet) model).bn;
            bn.runningMean.copy_(Tensor.randn(DType.FLOAT64, 3).mul(0.5));
            bn.runningVar.copy_(Tensor.rand(DType.FLOAT64, 3).add(0.5));
        }
        model.eval();
        assertClippedSum(model, Tensor.randn(DType.FLOAT64, 6, 1, 4, 4).mul(3.0), Tensor.randint(0, 3, 6));
    }

    /**
     * With σ = 0 a DP-SGD step leaves in each parameter's gradient the sum over samples of their
     * gradients clipped by the flat norm over all parameters, divided by the expected batch size;
     * the reference computes each sample's gradient by its own backward pass. The clipping bound
     * lies between the middle two samples' norms, so some samples are clipped and some are not.
     */
    private static void assertClippedSum(Module model, Tensor x, Tensor y) {
        double expected = 8;
        int n = x.size(0);
        List<Tensor> params = model.parameters();
        List<List<Tensor>> grads = new ArrayList<>();
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            model.zeroGrad();
            F.crossEntropy(model.forward(x.narrow(0, i, 1)), y.narrow(0, i, 1)).backward();
            double sq = 0;
            for (Tensor p : params) sq += p.grad().pow(2).sum().item();
            norms[i] = Math.sqrt(sq);
            grads.add(params.stream().map(p -> p.grad().clone()).toList());
        }
        double[] sorted = norms.clone();
        java.util.Arrays.sort(sorted);
        double clip = (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        List<Tensor> sum = new ArrayList<>();
        for (Tensor p : params) sum.add(Tensor.zeros(DType.FLOAT64, p.shape()));
        for (int i = 0; i < n; i++) {
            double factor = Math.min(1, clip / (norms[i] + 1e-6));
            for (int k = 0; k < params.size(); k++) sum.set(k, sum.get(k).add(grads.get(i).get(k).mul(factor)));
        }
        var gsm = new GradSampleModule(model);
        var dp = new DPOptimizer(new SGD(params, 0.0), gsm, 0.0, clip, expected, 0.1, new Generator(0), new RdpAccountant());
        dp.zeroGrad();
        F.crossEntropy(gsm.forward(x), y).backward();
        Tensor perSample = dp.perSampleNorms();
        assertEquals(n, perSample.size(0));
        for (int i = 0; i < n; i++) assertEquals(norms[i], perSample.select(0, i).item(), 1e-10 * norms[i], "sample " + i + "'s norm");
        dp.step();
        for (int k = 0; k < params.size(); k++) {
            Tensor want = sum.get(k).div(expected);
            assertTrue(params.get(k).grad().allclose(want, 1e-10, 1e-12), "parameter " + k);
        }
    }

    @Test
    void noiseHasStandardDeviationSigmaTimesClipOverExpectedBatch() {
        Sinter.manualSeed(12);
        Linear fc = new Linear(100, 100);
        fc.to(DType.FLOAT64);
        Tensor x = Tensor.randn(DType.FLOAT64, 4, 100);
        double sigma = 1.3, clip = 2.0, expected = 16;
        Tensor[] clean = gradsAfterStep(fc, x, 0.0, clip, expected);
        Tensor[] noisy = gradsAfterStep(fc, x, sigma, clip, expected);
        Tensor z = noisy[0].sub(clean[0]).mul(expected / (sigma * clip)).flatten();
        double mean = z.mean().item(), std = z.pow(2).mean().sqrt().item();
        assertEquals(0, mean, 0.04, "noise mean");
        assertEquals(1, std, 0.03, "noise std in units of σC/B");
    }

    private static Tensor[] gradsAfterStep(Linear fc, Tensor x, double sigma, double clip, double expected) {
        var gsm = new GradSampleModule(fc);
        var dp = new DPOptimizer(new SGD(fc.parameters(), 0.0), gsm, sigma, clip, expected, 0.01, new Generator(5), new RdpAccountant());
        dp.zeroGrad();
        gsm.forward(x).pow(2).mean().backward();
        dp.step();
        return new Tensor[] {fc.weight.grad().clone(), fc.bias.grad().clone()};
    }

    @Test
    void everyStepIsAccountedAndAnEmptyBatchStillAddsNoise() {
        Linear fc = new Linear(3, 2);
        var acc = new RdpAccountant();
        var gsm = new GradSampleModule(fc);
        var dp = new DPOptimizer(new SGD(fc.parameters(), 0.1), gsm, 1.0, 1.0, 4, 0.01, new Generator(1), acc);
        Tensor w0 = fc.weight.clone();
        dp.zeroGrad();
        gsm.forward(Tensor.zeros(0, 3)).sum().backward();
        dp.step();
        assertEquals(1, acc.steps());
        assertTrue(fc.weight.sub(w0).abs().sum().item() > 0, "noise moved the weights");
        for (int i = 0; i < 3; i++) {
            dp.zeroGrad();
            gsm.forward(Tensor.randn(2, 3)).sum().backward();
            dp.step();
        }
        assertEquals(4, acc.steps());
        assertEquals(RdpAccountant.epsilon(1.0, 0.01, 4, 1e-5, org.sinter.privacy.accountant.RdpConversion.IMPROVED).epsilon(),
                acc.getEpsilon(1e-5), 1e-12);
    }

    @Test
    void parametersOutsideThePrivateModelAreRefused() {
        Linear fc = new Linear(3, 2);
        Tensor stray = Tensor.zeros(2).requiresGrad(true);
        List<Tensor> params = new ArrayList<>(fc.parameters());
        params.add(stray);
        var e = assertThrows(IllegalArgumentException.class, () -> new DPOptimizer(new SGD(params, 0.1), new GradSampleModule(fc), 1, 1, 4,
                0.01, new Generator(0), new RdpAccountant()));
        assertTrue(e.getMessage().contains("do not cover"), e.getMessage());
    }
}
