package org.sinter.rl.dqn;

import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * The dueling architecture (Wang et al. 2016): a shared ReLU trunk, then a state-value stream V(s)
 * and an advantage stream A(s, a), combined as Q(s, a) = V(s) + A(s, a) − mean_a' A(s, a') (the
 * paper's equation 9, which makes V and A identifiable).
 */
public final class DuelingQNetwork extends Module {
    private final Sequential trunk;
    private final Linear value, advantage;

    @SuppressWarnings("this-escape") // registers its submodules in the constructor, as PyTorch does
    public DuelingQNetwork(int observationSize, int numActions, int... hidden) {
        if (hidden.length == 0) throw new IllegalArgumentException("DuelingQNetwork: needs at least one hidden layer");
        Sequential s = new Sequential();
        int in = observationSize;
        for (int h : hidden) {
            s.add(new Linear(in, h)).add(new ReLU());
            in = h;
        }
        trunk = registerModule("trunk", s);
        value = registerModule("value", new Linear(in, 1));
        advantage = registerModule("advantage", new Linear(in, numActions));
    }

    /** Q-values, (B, numActions). */
    @Override
    public Tensor forward(Tensor observations) {
        Tensor h = trunk.forward(observations);
        Tensor a = advantage.forward(h);
        return value.forward(h).add(a.sub(a.mean(new int[] {1}, true)));
    }
}
