package org.sinter.rl.actorcritic;

import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/**
 * The continuous-action actor-critic of CleanRL's {@code ppo_continuous_action.py}: a diagonal
 * Gaussian policy whose mean is a tanh MLP of the observation and whose log standard deviation is
 * one learned vector, independent of the state ({@code actor_logstd}, starting at 0: σ = 1), and a
 * separate tanh MLP critic; orthogonal init as {@link ActorCritic}. No tanh squashing: the
 * environment clips the sampled action to its box.
 *
 * <p>The networks see normalized observations. The running statistics they were trained with are
 * persistent buffers ({@code obs_mean}, {@code obs_var}), so a checkpoint carries them and
 * {@link #forward} (the greedy action of a raw observation) normalizes as training did:
 * clip((o − μ)/√(σ² + 1e-8), ±10), Gymnasium's {@code NormalizeObservation} followed by CleanRL's clip.
 */
public final class GaussianActorCritic extends Module {
    /** Gymnasium's NormalizeObservation ε and CleanRL's observation clip. */
    public static final double NORM_EPSILON = 1e-8, OBS_CLIP = 10;

    public final Sequential actorMean;
    public final Sequential critic;
    public final Tensor actorLogStd;
    private final int observationSize;

    @SuppressWarnings("this-escape") // registers its submodules, parameter and buffers in the constructor, as PyTorch does
    public GaussianActorCritic(int observationSize, int actionSize, int hidden) {
        this.observationSize = observationSize;
        critic = registerModule("critic", ActorCritic.mlp(observationSize, hidden, 1, 1.0));
        actorMean = registerModule("actor_mean", ActorCritic.mlp(observationSize, hidden, actionSize, 0.01));
        actorLogStd = registerParameter("actor_logstd", Tensor.zeros(1, actionSize));
        registerBuffer("obs_mean", Tensor.zeros(observationSize));
        registerBuffer("obs_var", Tensor.ones(observationSize));
    }

    /** The greedy (mean) action of raw, unnormalized observations (B, obs), using the stored statistics. */
    @Override
    public Tensor forward(Tensor observations) {
        Tensor mean = namedBuffers().get("obs_mean"), var = namedBuffers().get("obs_var");
        Tensor normalized = observations.sub(mean).div(var.add(NORM_EPSILON).sqrt()).clamp(-OBS_CLIP, OBS_CLIP);
        return actionMean(normalized);
    }

    /** The Gaussian's mean (B, act) for normalized observations. */
    public Tensor actionMean(Tensor normalizedObservations) {
        return actorMean.forward(normalizedObservations);
    }

    /** State values (B) for normalized observations. */
    public Tensor value(Tensor normalizedObservations) {
        return critic.forward(normalizedObservations).squeeze(1);
    }

    /** Stores the normalization statistics training uses now, for {@link #forward} and checkpoints. */
    public void setObservationStatistics(double[] mean, double[] var) {
        if (mean.length != observationSize || var.length != observationSize) {
            throw new IllegalArgumentException("GaussianActorCritic: statistics of size " + mean.length + "/" + var.length + " for observations of size " + observationSize);
        }
        setBuffer("obs_mean", Tensor.of(mean.clone(), observationSize).to(org.sinter.DType.FLOAT32));
        setBuffer("obs_var", Tensor.of(var.clone(), observationSize).to(org.sinter.DType.FLOAT32));
    }
}
