package org.sinter.rl.continuous;

import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/** Q(s, a): an MLP on the concatenated observation and action, one value per row (CleanRL's {@code QNetwork}). */
public final class ContinuousQNetwork extends Module {
    private final Sequential net;
    private final int observationSize, actionSize;

    @SuppressWarnings("this-escape") // registers its submodule in the constructor, as PyTorch does
    public ContinuousQNetwork(int observationSize, int actionSize, int... hidden) {
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        net = registerModule("net", Mlp.of(observationSize + actionSize, hidden, 1));
    }

    /** Q-values (B, 1) of observations (B, observationSize) and actions (B, actionSize). */
    public Tensor forward(Tensor observations, Tensor actions) {
        return forward(Tensor.cat(new Tensor[] {observations, actions}, 1));
    }

    /** Q-values (B, 1) of rows {@code [observation, action]} (B, observationSize + actionSize). */
    @Override
    public Tensor forward(Tensor observationsAndActions) {
        int[] s = observationsAndActions.shape();
        if (s.length != 2 || s[1] != observationSize + actionSize) {
            throw new IllegalArgumentException("ContinuousQNetwork: expected (B, " + (observationSize + actionSize)
                    + ") observation-action rows, got " + java.util.Arrays.toString(s));
        }
        return net.forward(observationsAndActions);
    }
}
