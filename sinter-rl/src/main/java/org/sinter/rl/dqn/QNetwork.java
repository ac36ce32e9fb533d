package org.sinter.rl.dqn;

import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** An MLP from an observation to one action value per action (ReLU hidden layers, PyTorch's default init). */
public final class QNetwork extends Module {
    private final Sequential net;

    @SuppressWarnings("this-escape") // registers its submodule in the constructor, as PyTorch does
    public QNetwork(int observationSize, int numActions, int... hidden) {
        Sequential s = new Sequential();
        int in = observationSize;
        for (int h : hidden) {
            s.add(new Linear(in, h)).add(new ReLU());
            in = h;
        }
        s.add(new Linear(in, numActions));
        net = registerModule("net", s);
    }

    /** Q-values, (B, numActions). */
    @Override
    public Tensor forward(Tensor observations) {
        return net.forward(observations);
    }
}
