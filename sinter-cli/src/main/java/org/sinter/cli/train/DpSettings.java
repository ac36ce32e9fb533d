package org.sinter.cli.train;

import java.util.Locale;
import org.sinter.cli.UsageException;

/**
 * The DP-SGD options of {@code sinter train --dp}: a noise multiplier σ, or a target ε that σ is
 * solved for (the smallest σ keeping ε at most the target after the planned steps), the per-sample
 * clipping norm C and the δ that ε is reported for.
 *
 * @param noiseMultiplier σ as given ({@code --noise-multiplier}); null when solved from the target
 * @param targetEpsilon ε to stay within ({@code --target-epsilon}); null when σ is given
 */
public record DpSettings(Double noiseMultiplier, Double targetEpsilon, double maxGradNorm, double delta) {
    /** Opacus' and TF Privacy's default δ for MNIST-sized data (below 1/n). */
    public static final double DEFAULT_DELTA = 1e-5;
    public static final double DEFAULT_MAX_GRAD_NORM = 1.0;

    /** Checks the options on their own, before anything is read. */
    public DpSettings {
        if ((noiseMultiplier == null) == (targetEpsilon == null)) {
            throw new UsageException("--dp needs exactly one of --noise-multiplier S (σ as given) and --target-epsilon E (σ solved for ε ≤ E)"
                    + (noiseMultiplier != null ? "; got both" : "; got neither"));
        }
        if (noiseMultiplier != null && !(noiseMultiplier >= 0 && noiseMultiplier <= 1e6)) {
            throw new UsageException("--noise-multiplier must be in [0, 1e6], got " + noiseMultiplier);
        }
        if (targetEpsilon != null && !(targetEpsilon > 0 && targetEpsilon <= 1e4)) {
            throw new UsageException("--target-epsilon must be in (0, 1e4], got " + targetEpsilon);
        }
        if (!(maxGradNorm > 0) || Double.isInfinite(maxGradNorm)) {
            throw new UsageException("--max-grad-norm (the per-sample clipping norm C) must be a positive finite number, got " + maxGradNorm);
        }
        if (!(delta > 0 && delta < 1)) throw new UsageException("--delta must be in (0, 1), got " + delta);
    }

    /** The options that contradict DP-SGD, refused before anything is read. */
    void checkRun(RunConfig c, boolean distributed) {
        if (c.model().kind != Task.Kind.IMAGE) {
            throw new UsageException("--dp trains the image models (per-sample gradients over MNIST examples); " + c.model().id
                    + " is a text model");
        }
        if (c.compile()) throw new UsageException("--dp trains eagerly (per-sample gradients are taken from the eager backward); drop --compile");
        if (distributed) throw new UsageException("--dp trains in one process; drop --distributed");
        if (c.device().type() != org.sinter.Device.Type.CPU) throw new UsageException("--dp trains on the CPU; drop --device " + c.device());
    }

    String describe() {
        return noiseMultiplier != null
                ? String.format(Locale.ROOT, "σ = %s, C = %s, δ = %s", noiseMultiplier, maxGradNorm, delta)
                : String.format(Locale.ROOT, "target ε = %s, C = %s, δ = %s", targetEpsilon, maxGradNorm, delta);
    }
}
