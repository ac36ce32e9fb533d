package org.sinter.cli.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.Generator;
import org.sinter.cli.UsageException;
import org.sinter.data.Batch;
import org.sinter.data.Dataset;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.Module;
import org.sinter.optim.Optimizer;
import org.sinter.privacy.DPOptimizer;
import org.sinter.privacy.PoissonDataLoader;
import org.sinter.privacy.accountant.NoiseCalibration;
import org.sinter.privacy.accountant.PrivacySpent;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.accountant.RdpConversion;
import org.sinter.privacy.gradsample.GradSampleModule;

/**
 * DP-SGD inside {@code sinter train --dp} (sinter-privacy's pieces, wired to the run): the model
 * wrapped for per-sample gradients, the run's optimizer behind the clipping and noising step,
 * Poisson-sampled batches of expected size {@code --batch-size}, and the RDP accountant.
 *
 * <p>A checkpoint records σ, C, δ, q and the noise generator's state, so a resumed run continues the
 * same noise stream and the accountant is rebuilt from the step count: the resumed run's model and
 * ε are those of a run that was never interrupted. The Poisson draws come from the run's loader
 * generator, whose state the checkpoint already holds.
 */
final class DpTraining {
    /** Checkpoint and model-file metadata keys. */
    static final String SIGMA = "dp_noise_multiplier", CLIP = "dp_max_grad_norm", DELTA = "dp_delta", RATE = "dp_sample_rate",
            TARGET = "dp_target_epsilon", NOISE_STATE = "dp_noise_state", EPSILON = "dp_epsilon";

    /** The conversion ε is reported and solved with (Opacus ≥ 1.0's default). */
    static final RdpConversion CONVERSION = RdpConversion.IMPROVED;

    private final DpSettings settings;
    private final GradSampleModule module;
    private final DPOptimizer optimizer;
    private final RdpAccountant accountant = new RdpAccountant();
    private final Generator noise;
    private final double sampleRate, sigma;
    private final int expectedBatch;
    private final String how;

    /** Batches in one Poisson epoch: {@code round(1/q)} = {@code round(n / batch)}, as {@link PoissonDataLoader}. */
    static int batchesPerEpoch(int examples, int batchSize) {
        return (int) Math.max(1, Math.round((double) examples / batchSize));
    }

    /**
     * Wraps the run's model and optimizer, or refuses the model naming why.
     *
     * @param plannedSteps the run's steps in all (epochs × batches per epoch): what a target ε is solved for
     * @param resumed the checkpoint being resumed, or null: its σ and noise state are taken over
     */
    static DpTraining create(DpSettings s, String modelId, Module model, Optimizer opt, int examples, int batchSize, long plannedSteps,
                             long seed, TrainingState resumed) {
        refuseBatchNorm(modelId, model);
        if (batchSize > examples) {
            throw new UsageException("--dp: --batch-size " + batchSize + " (the expected Poisson batch) exceeds the " + examples
                    + " training examples");
        }
        GradSampleModule wrapped;
        try {
            wrapped = new GradSampleModule(model, GradSampleModule.LossReduction.MEAN);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--dp: model " + modelId + " cannot be trained with DP-SGD: " + e.getMessage());
        }
        double q = (double) batchSize / examples;
        Generator noise = new Generator(seed + 2);
        double sigma;
        String how;
        if (resumed != null) {
            sigma = recordedSettings(s, resumed, q);
            noise.setState(parseState(resumed.file(), resumed.extra().get(NOISE_STATE)));
            how = "as recorded in the run";
        } else if (s.noiseMultiplier() != null) {
            sigma = s.noiseMultiplier();
            how = "as given";
        } else {
            try {
                sigma = NoiseCalibration.noiseMultiplier(s.targetEpsilon(), s.delta(), q, plannedSteps, CONVERSION, 0.01);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--target-epsilon: " + e.getMessage());
            }
            how = String.format(Locale.ROOT, "solved for ε ≤ %s after %,d steps", s.targetEpsilon(), plannedSteps);
        }
        DpTraining dp = new DpTraining(s, wrapped, opt, q, sigma, noise, how, batchSize);
        if (resumed != null) dp.accountant.step(sigma, q, resumed.step());
        return dp;
    }

    private DpTraining(DpSettings settings, GradSampleModule module, Optimizer opt, double sampleRate, double sigma, Generator noise,
                       String how, int expectedBatch) {
        this.settings = settings;
        this.module = module;
        this.sampleRate = sampleRate;
        this.sigma = sigma;
        this.noise = noise;
        this.how = how;
        this.expectedBatch = expectedBatch;
        this.optimizer = new DPOptimizer(opt, module, sigma, settings.maxGradNorm(), expectedBatch, sampleRate, noise, accountant);
    }

    /**
     * BatchNorm normalises each sample by statistics of the whole batch, so one sample's gradient
     * depends on the others and clipping it bounds nothing; Opacus refuses it for the same reason.
     * Refused even when frozen: in training mode its batch statistics still mix the samples.
     */
    static void refuseBatchNorm(String modelId, Module model) {
        List<String> found = new ArrayList<>();
        model.namedModules().forEach((name, m) -> {
            if (m instanceof BatchNorm) found.add((name.isEmpty() ? "<root>" : name) + " (" + m.getClass().getSimpleName() + ")");
        });
        if (found.isEmpty()) return;
        String shown = found.size() > 4 ? String.join(", ", found.subList(0, 4)) + " and " + (found.size() - 4) + " more"
                : String.join(", ", found);
        throw new UsageException("--dp: model " + modelId + " has BatchNorm layers (" + shown + "): batch normalization mixes the samples"
                + " of a batch, so no sample's gradient can be clipped on its own and DP-SGD's guarantee would not hold. Train a model"
                + " without BatchNorm (lab1cnn, mlp, lenet5, samplecnn) or replace BatchNorm with GroupNorm");
    }

    /** σ of the run being resumed; the DP options given must agree with what it recorded. */
    private static double recordedSettings(DpSettings s, TrainingState resumed, double q) {
        Map<String, String> x = resumed.extra();
        if (!x.containsKey(SIGMA)) {
            throw new UsageException("--resume --dp: the run in " + resumed.file() + " was trained without --dp; its steps so far are"
                    + " not private. Start a new run (--overwrite or another --out)");
        }
        double sigma = number(resumed, SIGMA), clip = number(resumed, CLIP), delta = number(resumed, DELTA), rate = number(resumed, RATE);
        if (s.noiseMultiplier() != null && s.noiseMultiplier() != sigma) conflict(resumed, "--noise-multiplier", s.noiseMultiplier(), sigma);
        if (s.targetEpsilon() != null) {
            Double t = resumed.recordedDouble(TARGET);
            if (t == null || !t.equals(s.targetEpsilon())) conflict(resumed, "--target-epsilon", s.targetEpsilon(), t == null ? "(σ given)" : t);
        }
        if (s.maxGradNorm() != clip) conflict(resumed, "--max-grad-norm", s.maxGradNorm(), clip);
        if (s.delta() != delta) conflict(resumed, "--delta", s.delta(), delta);
        if (Math.abs(rate - q) > 1e-12) {
            throw new IllegalArgumentException("checkpoint " + resumed.file() + ": recorded sample rate " + rate + " differs from this run's "
                    + q + " (batch size / training examples)");
        }
        return sigma;
    }

    private static double number(TrainingState st, String key) {
        Double v = st.recordedDouble(key);
        if (v == null || !Double.isFinite(v) || v < 0) {
            throw TrainingState.bad(st.file(), "extra." + key, String.valueOf(st.extra().get(key)), "a finite number >= 0");
        }
        return v;
    }

    private static void conflict(TrainingState s, String option, Object given, Object run) {
        throw new UsageException("--resume: " + option + " " + given + " differs from the run's " + run + " (recorded in " + s.file()
                + "); drop " + option + " to continue the run, or start a new one (--overwrite or another --out)");
    }

    private static long[] parseState(Path file, String s) {
        String expected = "5 comma-separated integers (the DP noise generator's state)";
        if (s == null) throw TrainingState.bad(file, "extra." + NOISE_STATE, "missing", expected);
        String[] f = s.split(",", -1);
        if (f.length != 5) throw TrainingState.bad(file, "extra." + NOISE_STATE, s, expected);
        long[] state = new long[5];
        try {
            for (int i = 0; i < 5; i++) state[i] = Long.parseLong(f[i].trim());
        } catch (NumberFormatException e) {
            throw TrainingState.bad(file, "extra." + NOISE_STATE, s, expected);
        }
        if ((state[1] & 1) == 0 || (state[3] | state[4]) == 0) throw TrainingState.bad(file, "extra." + NOISE_STATE, s, expected);
        return state;
    }

    /** What the forward pass goes through: the model with its per-sample gradient capture. */
    Module module() {
        return module;
    }

    /** Clip, sum, noise, average, step the run's optimizer, account. */
    void step() {
        optimizer.step();
    }

    /** One epoch of Poisson batches over {@code dataset}, drawn from {@code generator} (the run's loader generator). */
    Iterator<Batch> epoch(Dataset<?> dataset, Generator generator) {
        return new PoissonDataLoader(dataset, sampleRate, generator).iterator();
    }

    PrivacySpent spent() {
        return accountant.getPrivacySpent(settings.delta(), CONVERSION);
    }

    String describe() {
        return String.format(Locale.ROOT, "DP-SGD: Poisson sampling q = %.6g (expected batch %d), σ = %.4f (%s), C = %s, δ = %s;"
                        + " ε by the RDP accountant (%s conversion)", sampleRate, expectedBatch, sigma, how, settings.maxGradNorm(),
                settings.delta(), CONVERSION.name().toLowerCase(Locale.ROOT));
    }

    /** The line printed after each epoch. */
    String epochLine(int epoch) {
        PrivacySpent p = spent();
        return String.format(Locale.ROOT, "epoch %d: ε = %.3f at δ = %s after %,d DP-SGD steps (RDP, best order %s)", epoch, p.epsilon(),
                settings.delta(), accountant.steps(), p.bestOrder());
    }

    /** What a checkpoint records (see the class comment), ε included for the reader. */
    Map<String, String> checkpointExtras() {
        Map<String, String> m = new LinkedHashMap<>(metadata());
        m.put(NOISE_STATE, Trainer.formatState(noise.state()));
        return m;
    }

    /** What the model file records: how it was trained and the ε it spent. */
    Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SIGMA, Double.toString(sigma));
        m.put(CLIP, Double.toString(settings.maxGradNorm()));
        m.put(DELTA, Double.toString(settings.delta()));
        m.put(RATE, Double.toString(sampleRate));
        if (settings.targetEpsilon() != null) m.put(TARGET, Double.toString(settings.targetEpsilon()));
        m.put(EPSILON, Double.toString(spent().epsilon()));
        return m;
    }
}
