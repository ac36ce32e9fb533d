package org.sinter.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.gradsample.GradSampleModule;

/**
 * The DP-SGD step (Abadi et al. 2016) around any optimizer (Opacus' {@code DPOptimizer}): each
 * sample's gradient, flattened over all parameters, is clipped to L2 norm at most {@code C}; the
 * clipped gradients are summed, Gaussian noise {@code N(0, σ²C²)} is added to every coordinate,
 * and the result is divided by the expected batch size {@code q·n} (not the drawn one, whose
 * size itself depends on the data). The wrapped optimizer then steps on that gradient, and the
 * accountant records one step of the sampled Gaussian mechanism.
 */
public final class DPOptimizer {
    /** Keeps the clipping factor finite for an all-zero gradient (the value Opacus uses). */
    private static final double NORM_EPS = 1e-6;

    private final Optimizer optimizer;
    private final GradSampleModule module;
    private final double noiseMultiplier;
    private final double maxGradNorm;
    private final double expectedBatchSize;
    private final double sampleRate;
    private final Generator generator;
    private final RdpAccountant accountant;

    public DPOptimizer(Optimizer optimizer, GradSampleModule module, double noiseMultiplier, double maxGradNorm,
                       double expectedBatchSize, double sampleRate, Generator generator, RdpAccountant accountant) {
        if (!(noiseMultiplier >= 0)) throw new IllegalArgumentException("DPOptimizer: noise multiplier must be >= 0, got " + noiseMultiplier);
        if (!(maxGradNorm > 0)) throw new IllegalArgumentException("DPOptimizer: max grad norm must be > 0, got " + maxGradNorm);
        if (!(expectedBatchSize > 0)) throw new IllegalArgumentException("DPOptimizer: expected batch size must be > 0, got " + expectedBatchSize);
        List<Tensor> covered = module.coveredParameters();
        for (ParamGroup g : optimizer.paramGroups()) {
            for (Tensor p : g.params()) {
                if (p.requiresGrad() && covered.stream().noneMatch(c -> c == p)) {
                    throw new IllegalArgumentException("DPOptimizer: the optimizer holds a trainable parameter " + p.describe()
                            + " that the private model's per-sample gradients do not cover");
                }
            }
        }
        this.optimizer = optimizer;
        this.module = module;
        this.noiseMultiplier = noiseMultiplier;
        this.maxGradNorm = maxGradNorm;
        this.expectedBatchSize = expectedBatchSize;
        this.sampleRate = sampleRate;
        this.generator = generator;
        this.accountant = accountant;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public double noiseMultiplier() {
        return noiseMultiplier;
    }

    public double maxGradNorm() {
        return maxGradNorm;
    }

    public void zeroGrad() {
        optimizer.zeroGrad();
    }

    /** Clips, sums, noises and averages the per-sample gradients of the last backward pass, then steps. */
    public void step() {
        try (var _ = Sinter.noGrad()) {
            List<Tensor> params = trainableParams();
            Map<Tensor, Tensor> samples = module.gradSamples();
            int n = module.batchSize();
            Tensor factors = clipFactors(params, samples, n);
            for (Tensor p : params) {
                Tensor gs = samples.get(p);
                Tensor summed = gs == null || n == 0
                        ? Tensor.zeros(p.dtype(), p.shape())
                        : factors.reshape(1, n).matmul(gs.reshape(n, -1)).reshape(p.shape());
                Tensor noise = Tensor.zeros(p.dtype(), p.shape());
                if (noiseMultiplier > 0) generator.normal_(noise, 0, noiseMultiplier * maxGradNorm);
                p.setGrad(summed.add(noise).div(expectedBatchSize));
            }
            optimizer.step();
        }
        accountant.step(noiseMultiplier, sampleRate);
    }

    /** min(1, C / (‖g_i‖ + 1e-6)) per sample; null when there are no per-sample gradients. */
    Tensor clipFactors(List<Tensor> params, Map<Tensor, Tensor> samples, int n) {
        Tensor norms = norms(params, samples, n);
        return norms == null ? null : norms.add(NORM_EPS).reciprocal().mul(maxGradNorm).clampMax(1.0);
    }

    /** Per-sample gradient norms (before clipping) of the last backward pass, over all parameters together. */
    public Tensor perSampleNorms() {
        try (var _ = Sinter.noGrad()) {
            return norms(trainableParams(), module.gradSamples(), module.batchSize());
        }
    }

    private static Tensor norms(List<Tensor> params, Map<Tensor, Tensor> samples, int n) {
        Tensor squared = null;
        for (Tensor p : params) {
            Tensor gs = samples.get(p);
            if (gs == null || n == 0) continue;
            Tensor s = gs.reshape(n, -1).pow(2).sum(1, false);
            squared = squared == null ? s : squared.add(s);
        }
        return squared == null ? null : squared.sqrt();
    }

    private List<Tensor> trainableParams() {
        List<Tensor> out = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) for (Tensor p : g.params()) if (p.requiresGrad()) out.add(p);
        return out;
    }
}
