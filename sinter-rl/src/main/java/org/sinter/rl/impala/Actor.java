package org.sinter.rl.impala;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.rl.Categorical;
import org.sinter.rl.Env;
import org.sinter.rl.Observations;
import org.sinter.rl.StepResult;
import org.sinter.rl.WeightSnapshot;
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.remote.RolloutWorker;

/**
 * One IMPALA actor: its own environment copy and its own copy of the policy, which it refreshes
 * from the learner's latest broadcast before every unroll; each {@link #collect} is one
 * {@link Trajectory} of {@code unrollLength} steps. It runs in a learner's thread or in its own
 * process ({@link ImpalaWorkerMain}).
 */
final class Actor implements RolloutWorker<Trajectory> {
    private final int index;
    private final Env<double[], Integer> env;
    private final ActorCritic policy;
    private final ImpalaConfig config;
    private final RandomGenerator random;
    private final int observationSize;
    private long version = -1;
    private double[] obs;
    private double episodeReturn;

    Actor(int index, Env<double[], Integer> env, ActorCritic policy, ImpalaConfig config, long seed) {
        this.index = index;
        this.env = env;
        this.policy = policy;
        this.config = config;
        this.random = new Generator(seed ^ 0x1A7A1AL).random();
        this.observationSize = ((org.sinter.rl.spaces.Box) env.observationSpace()).size();
        this.obs = env.reset(seed).observation();
    }

    @Override
    public long version() {
        return version;
    }

    /** Before every unroll: IMPALA's actors always act with the newest weights they can get. */
    @Override
    public boolean syncDue() {
        return true;
    }

    @Override
    public void load(WeightSnapshot weights) {
        policy.loadStateDict(weights.state(), true);
        version = weights.version();
    }

    @Override
    public Trajectory collect() {
        int steps = config.unrollLength();
        float[] o = new float[(steps + 1) * observationSize];
        long[] actions = new long[steps];
        double[] logProbs = new double[steps], rewards = new double[steps];
        boolean[] dones = new boolean[steps];
        List<Double> finished = new ArrayList<>();
        try (var _ = Sinter.noGrad()) {
            for (int t = 0; t < steps; t++) {
                Observations.put(o, t, obs, observationSize);
                float[] probs = policy.logits(Observations.row(obs, observationSize)).softmax(1).toFloatArray();
                int a = Categorical.sample(probs, random);
                actions[t] = a;
                logProbs[t] = Math.log(probs[a]);
                StepResult<double[]> r = env.step(a);
                episodeReturn += r.reward();
                double reward = r.reward();
                if (r.truncated() && !r.terminated()) reward += config.gamma() * policy.value(Observations.row(r.observation(), observationSize)).item();
                rewards[t] = reward;
                dones[t] = r.done();
                if (r.done()) {
                    finished.add(episodeReturn);
                    episodeReturn = 0;
                    obs = env.reset().observation();
                } else {
                    obs = r.observation();
                }
            }
        }
        Observations.put(o, steps, obs, observationSize);
        return new Trajectory(o, actions, logProbs, rewards, dones, version, finished, index);
    }
}
