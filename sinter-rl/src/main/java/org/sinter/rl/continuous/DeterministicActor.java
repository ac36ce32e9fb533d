package org.sinter.rl.continuous;

import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.rl.spaces.Box;

/**
 * μ(s) for DDPG and TD3: an MLP whose tanh output is scaled into the action box,
 * {@code action = tanh(mlp(s))·scale + bias} with scale = (high − low)/2 and bias = (high + low)/2
 * (CleanRL's {@code Actor}); scale and bias are buffers, saved with the weights.
 */
public final class DeterministicActor extends Module {
    private final Sequential net;
    private final Tensor actionScale, actionBias;

    @SuppressWarnings("this-escape") // registers its submodule and buffers in the constructor, as PyTorch does
    public DeterministicActor(int observationSize, Box actionSpace, int... hidden) {
        net = registerModule("net", Mlp.of(observationSize, hidden, actionSpace.size()));
        actionScale = registerBuffer("action_scale", ActionBounds.scale(actionSpace));
        actionBias = registerBuffer("action_bias", ActionBounds.bias(actionSpace));
    }

    /** Actions (B, actionSize) inside the box for observations (B, observationSize). */
    @Override
    public Tensor forward(Tensor observations) {
        return net.forward(observations).tanh().mul(actionScale).add(actionBias);
    }

    public Tensor actionScale() {
        return actionScale;
    }
}
