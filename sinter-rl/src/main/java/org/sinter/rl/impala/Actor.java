package org.sinter.rl.impala;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.rl.Categorical;
import org.sinter.rl.Env;
import org.sinter.rl.Observations;
import org.sinter.rl.StepResult;
import org.sinter.rl.actorcritic.ActorCritic;

/**
 * One IMPALA actor: its own environment copy and its own copy of the policy, refreshed from the
 * learner's latest broadcast {@link Snapshot} before every unroll, sends {@link Trajectory}s to the
 * learner's queue (blocking while it is full, which bounds how stale a policy can get).
 */
final class Actor implements Runnable {
    /** Weights the learner broadcasts, with the number of updates they come from. */
    record Snapshot(long version, Map<String, Tensor> state) {}

    private final int index;
    private final Env<double[], Integer> env;
    private final ActorCritic policy;
    private final ImpalaConfig config;
    private final Supplier<Snapshot> latest;
    private final BlockingQueue<Trajectory> queue;
    private final BooleanSupplier stop;
    private final RandomGenerator random;
    private final long seed;
    private final int observationSize;
    private long version = -1;

    Actor(int index, Env<double[], Integer> env, ActorCritic policy, ImpalaConfig config, Supplier<Snapshot> latest, BlockingQueue<Trajectory> queue,
          BooleanSupplier stop, long seed) {
        this.index = index;
        this.env = env;
        this.policy = policy;
        this.config = config;
        this.latest = latest;
        this.queue = queue;
        this.stop = stop;
        this.seed = seed;
        this.random = new Generator(seed ^ 0x1A7A1AL).random();
        this.observationSize = ((org.sinter.rl.spaces.Box) env.observationSpace()).size();
    }

    @Override
    public void run() {
        int steps = config.unrollLength();
        double[] obs = env.reset(seed).observation();
        double episodeReturn = 0;
        try (var _ = Sinter.noGrad()) {
            while (!stop.getAsBoolean()) {
                Snapshot s = latest.get();
                if (s.version() != version) {
                    policy.loadStateDict(s.state(), true);
                    version = s.version();
                }
                float[] o = new float[(steps + 1) * observationSize];
                long[] actions = new long[steps];
                double[] logProbs = new double[steps], rewards = new double[steps];
                boolean[] dones = new boolean[steps];
                List<Double> finished = new ArrayList<>();
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
                Observations.put(o, steps, obs, observationSize);
                Trajectory trajectory = new Trajectory(o, actions, logProbs, rewards, dones, version, finished, index);
                while (!queue.offer(trajectory, 100, TimeUnit.MILLISECONDS)) {
                    if (stop.getAsBoolean()) return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
