package org.sinter.rl.agents;

import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.rl.Env;
import org.sinter.rl.StepResult;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.actorcritic.ActorCritic;

/**
 * Runs a policy without exploration: the most probable action (PPO, A2C), the highest action value
 * (DQN), the deterministic or mean action (DDPG, TD3, SAC). The first episode resets with
 * {@code seed} and the next ones continue its random stream, as Gymnasium's evaluation loops do, so
 * an evaluation repeats exactly.
 */
public final class GreedyEvaluation {
    private GreedyEvaluation() {}

    /** The return of each of {@code episodes} episodes. */
    public static double[] returns(PolicySpec spec, Module policy, int episodes, long seed) {
        if (episodes <= 0) throw new IllegalArgumentException("episodes must be positive, got " + episodes);
        double[] out = new double[episodes];
        try (var _ = Sinter.noGrad()) {
            if (spec.discrete()) {
                Env<double[], Integer> env = Envs.makeDiscrete(spec.envId());
                for (int e = 0; e < episodes; e++) out[e] = episode(env, e == 0, seed, o -> argmax(discreteScores(policy, o)));
            } else {
                Env<double[], double[]> env = Envs.makeContinuous(spec.envId());
                for (int e = 0; e < episodes; e++) out[e] = episode(env, e == 0, seed, o -> toDoubles(policy.forward(row(o))));
            }
        }
        return out;
    }

    private static <A> double episode(Env<double[], A> env, boolean first, long seed, java.util.function.Function<double[], A> act) {
        double[] obs = (first ? env.reset(seed) : env.reset()).observation();
        double total = 0;
        while (true) {
            StepResult<double[]> r = env.step(act.apply(obs));
            total += r.reward();
            if (r.done()) return total;
            obs = r.observation();
        }
    }

    /** Action logits for the actor-critics, action values for a Q-network: either way the argmax is the greedy action. */
    private static float[] discreteScores(Module policy, double[] observation) {
        Tensor x = row(observation);
        return (policy instanceof ActorCritic ac ? ac.logits(x) : policy.forward(x)).toFloatArray();
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
        return best;
    }

    private static Tensor row(double[] observation) {
        float[] x = new float[observation.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) observation[i];
        return Tensor.of(x, 1, x.length);
    }

    private static double[] toDoubles(Tensor t) {
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
