package org.sinter.privacy;

import org.sinter.Generator;
import org.sinter.data.DataLoader;
import org.sinter.nn.Module;
import org.sinter.optim.Optimizer;
import org.sinter.privacy.accountant.NoiseCalibration;
import org.sinter.privacy.accountant.PrivacySpent;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.accountant.RdpConversion;
import org.sinter.privacy.gradsample.GradSampleModule;

/**
 * Makes a model, its optimizer and its data loader differentially private (Opacus'
 * {@code PrivacyEngine}) and keeps the privacy ledger.
 *
 * <pre>{@code
 * var engine = new PrivacyEngine(new Generator(0));
 * var dp = engine.makePrivateWithEpsilon(model, new SGD(model.parameters(), 0.1), loader, 3.0, 1e-5, 10, 1.0);
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : dp.loader()) {
 *         dp.optimizer().zeroGrad();
 *         F.crossEntropy(dp.module().forward(b.input()), b.target()).backward();
 *         dp.optimizer().step();
 *     }
 *     System.out.println("ε = " + engine.getEpsilon(1e-5));
 * }
 * }</pre>
 *
 * The loader's batch size becomes the expected batch size of Poisson sampling with
 * {@code q = batchSize / n}. The noise and the sampling draw from the engine's generator, a
 * statistical (LXM) generator, not a cryptographically secure one (Opacus' {@code secure_mode}).
 */
public final class PrivacyEngine {
    private final Generator generator;
    private final RdpAccountant accountant = new RdpAccountant();
    private RdpConversion conversion = RdpConversion.IMPROVED;

    public PrivacyEngine(Generator generator) {
        this.generator = generator;
    }

    /** The (ε, δ) conversion {@link #getEpsilon} and the ε target use (default {@link RdpConversion#IMPROVED}, as Opacus ≥ 1.0). */
    public PrivacyEngine conversion(RdpConversion conversion) {
        this.conversion = conversion;
        return this;
    }

    public RdpAccountant accountant() {
        return accountant;
    }

    /** DP-SGD with a given noise multiplier σ and clipping norm C. */
    public PrivateTraining makePrivate(Module model, Optimizer optimizer, DataLoader<?> loader, double noiseMultiplier, double maxGradNorm) {
        PoissonDataLoader poisson = PoissonDataLoader.withExpectedBatchSize(loader.dataset(), loader.batchSize(), generator);
        GradSampleModule module = new GradSampleModule(model, GradSampleModule.LossReduction.MEAN);
        DPOptimizer dp = new DPOptimizer(optimizer, module, noiseMultiplier, maxGradNorm, poisson.expectedBatchSize(),
                poisson.sampleRate(), generator, accountant);
        return new PrivateTraining(module, dp, poisson);
    }

    /** DP-SGD whose σ is the smallest that keeps ε ≤ {@code targetEpsilon} at δ after {@code epochs} epochs. */
    public PrivateTraining makePrivateWithEpsilon(Module model, Optimizer optimizer, DataLoader<?> loader, double targetEpsilon,
                                                  double delta, int epochs, double maxGradNorm) {
        if (epochs <= 0) throw new IllegalArgumentException("PrivacyEngine: epochs must be > 0, got " + epochs);
        double q = (double) loader.batchSize() / loader.dataset().size();
        long steps = (long) epochs * Math.max(1, Math.round(1 / q));
        double sigma = NoiseCalibration.noiseMultiplier(targetEpsilon, delta, q, steps, conversion, 0.01);
        return makePrivate(model, optimizer, loader, sigma, maxGradNorm);
    }

    /** ε spent so far for δ. */
    public double getEpsilon(double delta) {
        return getPrivacySpent(delta).epsilon();
    }

    public PrivacySpent getPrivacySpent(double delta) {
        return accountant.getPrivacySpent(delta, conversion);
    }
}
