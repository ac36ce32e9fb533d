package org.sinter.rl.actorcritic;

import org.sinter.Tensor;
import org.sinter.nn.Init;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.nn.Tanh;

/**
 * Separate actor and critic MLPs (two tanh hidden layers) for a discrete action space, initialized
 * as in the PPO implementation details (Huang et al. 2022, CleanRL): orthogonal weights with gain
 * √2, zero biases, gain 0.01 on the policy head (near-uniform first policy) and 1 on the value head.
 */
public final class ActorCritic extends Module {
    public final Sequential actor;
    public final Sequential critic;

    @SuppressWarnings("this-escape") // registers its submodules in the constructor, as PyTorch does
    public ActorCritic(int observationSize, int numActions, int hidden) {
        actor = registerModule("actor", mlp(observationSize, hidden, numActions, 0.01));
        critic = registerModule("critic", mlp(observationSize, hidden, 1, 1.0));
    }

    /** Two tanh hidden layers of width {@code hidden}, orthogonally initialized (gain √2, head gain {@code headGain}), zero biases. */
    static Sequential mlp(int in, int hidden, int out, double headGain) {
        return new Sequential(
                layer(new Linear(in, hidden), Math.sqrt(2)), new Tanh(),
                layer(new Linear(hidden, hidden), Math.sqrt(2)), new Tanh(),
                layer(new Linear(hidden, out), headGain));
    }

    private static Linear layer(Linear linear, double gain) {
        Init.orthogonal_(linear.weight, gain);
        Init.zeros_(linear.bias);
        return linear;
    }

    /** Action logits, (B, numActions). */
    public Tensor logits(Tensor observations) {
        return actor.forward(observations);
    }

    /** State values, (B). */
    public Tensor value(Tensor observations) {
        return critic.forward(observations).squeeze(1);
    }
}
