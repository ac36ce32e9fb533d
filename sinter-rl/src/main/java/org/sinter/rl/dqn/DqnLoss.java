package org.sinter.rl.dqn;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * DQN's TD loss on a replay minibatch: the target y = r + γ^m (1 − terminated) Q_target(s', a*)
 * with a* = argmax Q_online(s') (double DQN) or argmax Q_target(s'), m the row's bootstrap
 * horizon (1, or n for n-step rows, whose r is already the discounted n-step sum); the loss is
 * the importance-weighted mean of (Q(s, a) − y)², plain MSE when every weight is 1. Also returns
 * the TD errors, the new priorities of prioritized replay.
 */
public final class DqnLoss {
    /** The scalar loss (differentiable in the online network) and each row's TD error Q(s, a) − y. */
    public record Result(Tensor loss, double[] tdErrors) {}

    private DqnLoss() {}

    public static Result of(Module online, Module target, Replay.Batch b, int observationSize, double gamma, boolean doubleDqn) {
        int n = b.size();
        Tensor nextObs = Tensor.of(b.nextObservations(), n, observationSize);
        Tensor y;
        try (var _ = Sinter.noGrad()) {
            Tensor nextQ = target.forward(nextObs);
            Tensor nextValue = doubleDqn ? nextQ.gather(1, online.forward(nextObs).argmax(1, true)).squeeze(1) : nextQ.amax(new int[] {1}, false);
            Tensor notTerminated = Tensor.of(b.terminated(), n).neg().add(1.0);
            Tensor bootstrap = oneStep(b) ? nextValue.mul(notTerminated).mul(gamma) : nextValue.mul(notTerminated).mul(discounts(b, gamma));
            y = Tensor.of(b.rewards(), n).add(bootstrap);
        }
        Tensor q = online.forward(Tensor.of(b.observations(), n, observationSize)).gather(1, Tensor.of(b.actions(), n, 1)).squeeze(1);
        Tensor loss = uniform(b) ? F.mseLoss(q, y) : q.sub(y).square().mul(Tensor.of(b.weights(), n)).mean();
        double[] td;
        try (var _ = Sinter.noGrad()) {
            td = q.sub(y).toDoubleArray();
        }
        return new Result(loss, td);
    }

    private static Tensor discounts(Replay.Batch b, double gamma) {
        float[] d = new float[b.size()];
        for (int j = 0; j < d.length; j++) d[j] = (float) Math.pow(gamma, b.horizons()[j]);
        return Tensor.of(d, d.length);
    }

    private static boolean oneStep(Replay.Batch b) {
        for (float h : b.horizons()) if (h != 1f) return false;
        return true;
    }

    private static boolean uniform(Replay.Batch b) {
        for (float w : b.weights()) if (w != 1f) return false;
        return true;
    }
}
