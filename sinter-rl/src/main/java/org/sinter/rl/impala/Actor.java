package org.sinter.rl.impala;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.rl.Categorical;
import org.sinter.rl.Env;
import org.sinter.rl.Observations;
import org.sinter.rl.Snapshottable;
import org.sinter.rl.StateCodec;
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
    private Generator generator;
    private RandomGenerator random;
    private final int observationSize;
    private long version = -1;
    private double[] obs;
    private double episodeReturn;

    Actor(int index, Env<double[], Integer> env, ActorCritic policy, ImpalaConfig config, long seed) {
        this.index = index;
        this.env = env;
        this.policy = policy;
        this.config = config;
        this.generator = new Generator(seed ^ 0x1A7A1AL);
        this.random = generator.random();
        this.observationSize = ((org.sinter.rl.spaces.Box) env.observationSpace()).size();
        this.obs = env.reset(seed).observation();
    }

    /**
     * An actor's exact state between two unrolls: its sampling stream, its environment (which must be
     * {@link org.sinter.rl.Snapshottable}), its current observation and partial return. Its policy
     * copy is not part of it: the actor reloads the learner's weights before its next unroll anyway.
     */
    record State(long[] generator, long[] env, double[] observation, double episodeReturn) {
        void write(StateCodec.Writer w) {
            w.putLongs(generator).putLongs(env).putDoubles(observation).putDouble(episodeReturn);
        }

        static State read(StateCodec.Reader r) {
            return new State(r.getLongs(), r.getLongs(), r.getDoubles(), r.getDouble());
        }
    }

    State state() {
        return new State(generator.state(), Snapshottable.of(env, "Impala actor " + index + " (" + env.id() + ")"), obs.clone(), episodeReturn);
    }

    /** Restores {@link #state}; the next unroll reloads the learner's weights. */
    void restore(State s) {
        generator = new Generator(0);
        generator.setState(s.generator());
        random = generator.random();
        Snapshottable.restore(env, s.env(), "Impala actor " + index + " (" + env.id() + ")");
        obs = s.observation().clone();
        episodeReturn = s.episodeReturn();
        version = -1;
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
