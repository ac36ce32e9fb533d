package org.sinter.rl.continuous;

import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.rl.spaces.Box;

/**
 * SAC's policy (CleanRL's {@code Actor} in {@code sac_continuous_action.py}): an MLP trunk with a
 * mean head and a log-std head; the log-std is squashed by tanh into [{@value #LOG_STD_MIN},
 * {@value #LOG_STD_MAX}], a Gaussian sample u = μ + σ·ε is squashed by tanh and mapped into the
 * action box, and the log-probability carries the change-of-variables correction
 * log π(a|s) = Σ_d [log N(u_d; μ_d, σ_d) − log(scale_d·(1 − tanh²(u_d)) + 1e-6)].
 */
public final class SquashedGaussianActor extends Module {
    public static final double LOG_STD_MIN = -5, LOG_STD_MAX = 2;
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    /** A reparameterized sample: actions (B, n), their log-probabilities (B, 1), and the squashed mean action (B, n). */
    public record Sample(Tensor action, Tensor logProb, Tensor meanAction) {}

    private final Sequential trunk;
    private final Linear mean, logStd;
    private final Tensor actionScale, actionBias;
    private final int actionSize;

    @SuppressWarnings("this-escape") // registers its submodules and buffers in the constructor, as PyTorch does
    public SquashedGaussianActor(int observationSize, Box actionSpace, int... hidden) {
        if (hidden.length == 0) throw new IllegalArgumentException("SquashedGaussianActor: needs at least one hidden layer");
        actionSize = actionSpace.size();
        trunk = registerModule("trunk", Mlp.trunk(observationSize, hidden));
        mean = registerModule("fc_mean", new Linear(hidden[hidden.length - 1], actionSize));
        logStd = registerModule("fc_logstd", new Linear(hidden[hidden.length - 1], actionSize));
        actionScale = registerBuffer("action_scale", ActionBounds.scale(actionSpace));
        actionBias = registerBuffer("action_bias", ActionBounds.bias(actionSpace));
    }

    /** The deterministic (greedy) action tanh(μ(s))·scale + bias. */
    @Override
    public Tensor forward(Tensor observations) {
        return mean.forward(trunk.forward(observations)).tanh().mul(actionScale).add(actionBias);
    }

    /** The Gaussian's mean (B, n) and bounded log-std (B, n) before squashing. */
    public Tensor[] meanAndLogStd(Tensor observations) {
        Tensor h = trunk.forward(observations);
        Tensor ls = logStd.forward(h).tanh().add(1).mul(0.5 * (LOG_STD_MAX - LOG_STD_MIN)).add(LOG_STD_MIN);
        return new Tensor[] {mean.forward(h), ls};
    }

    /**
     * A reparameterized sample with standard-normal noise {@code epsilon} (B, n) given by the caller,
     * so that the caller's generator alone decides the draw. Gradients flow to μ and σ through u.
     */
    public Sample sample(Tensor observations, Tensor epsilon) {
        Tensor[] ml = meanAndLogStd(observations);
        Tensor mu = ml[0], ls = ml[1];
        if (!java.util.Arrays.equals(epsilon.shape(), mu.shape())) {
            throw new IllegalArgumentException("SquashedGaussianActor.sample: noise shape " + java.util.Arrays.toString(epsilon.shape())
                    + " does not match the policy's " + java.util.Arrays.toString(mu.shape()));
        }
        Tensor u = mu.add(ls.exp().mul(epsilon));
        Tensor y = u.tanh();
        Tensor action = y.mul(actionScale).add(actionBias);
        // log N(u; μ, σ) with (u − μ)/σ = ε exactly: −ε²/2 − log σ − log √(2π).
        Tensor gaussian = epsilon.square().mul(-0.5).sub(ls).sub(HALF_LOG_TWO_PI);
        Tensor correction = y.square().rsub(1.0).mul(actionScale).add(1e-6).log();
        Tensor logProb = gaussian.sub(correction).sum(1, true);
        Tensor meanAction = mu.tanh().mul(actionScale).add(actionBias);
        return new Sample(action, logProb, meanAction);
    }

    public int actionSize() {
        return actionSize;
    }
}
