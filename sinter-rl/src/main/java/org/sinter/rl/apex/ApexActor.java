package org.sinter.rl.apex;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.nn.Module;
import org.sinter.rl.Env;
import org.sinter.rl.Snapshottable;
import org.sinter.rl.StateCodec;
import org.sinter.rl.StepResult;
import org.sinter.rl.WeightSnapshot;
import org.sinter.rl.dqn.DqnLoss;
import org.sinter.rl.dqn.NStepAccumulator;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.dqn.ReplayBuffer;
import org.sinter.rl.remote.RolloutWorker;

/**
 * One Ape-X actor: its own environment copy, its own copy of the Q-network and its own ε. It acts
 * ε-greedily, turns steps into n-step rows, and every chunk scores the rows with its (possibly
 * stale) network, |δ| of the double-DQN target with the local network in both roles, so that the
 * replay gets them at their own priority, not at the largest one. It refreshes its weights from the
 * learner's latest broadcast every {@code actorSyncEvery} steps.
 */
final class ApexActor implements RolloutWorker<ApexActor.Chunk> {
    /** A chunk for the replay: rows, their TD errors, the policy version that made them, the returns of episodes that ended in it. */
    record Chunk(int actor, Replay.Batch rows, double[] tdErrors, long version, int steps, List<Double> finishedReturns) {}

    private final int index, observationSize, numActions, chunkSize, syncEvery;
    private final Env<double[], Integer> env;
    private final Module network;
    private final double epsilon, gamma;
    private Generator generator;
    private RandomGenerator random;
    private final Outbox outbox;
    private final NStepAccumulator nStep;
    private double[] obs;
    private double episodeReturn;
    private long version = -1, steps, lastSync = Long.MIN_VALUE / 2;

    ApexActor(int index, Env<double[], Integer> env, Module network, int observationSize, int numActions, ApexConfig config, long seed) {
        this.index = index;
        this.env = env;
        this.network = network;
        this.observationSize = observationSize;
        this.numActions = numActions;
        this.chunkSize = config.chunkSize();
        this.syncEvery = config.actorSyncEvery();
        this.epsilon = config.epsilon(index);
        this.gamma = config.gamma();
        this.generator = new Generator(seed ^ 0xA9E7AC7L);
        this.random = generator.random();
        this.outbox = new Outbox(chunkSize + config.nStep(), observationSize);
        this.nStep = new NStepAccumulator(config.nStep(), gamma, outbox);
        this.obs = env.reset(seed).observation();
    }

    /**
     * The actor's exact state between two chunks: its stream, environment, observation, partial
     * return, step and sync counters, pending n-step starts (the outbox is empty between chunks)
     * and its network's version; its network's weights are saved with the trainer's networks.
     */
    void saveState(StateCodec.Writer w) {
        w.putLongs(generator.state()).putLongs(Snapshottable.of(env, "Apex actor " + index + " (" + env.id() + ")")).putDoubles(obs).putDouble(episodeReturn)
                .putLong(version).putLong(steps).putLong(lastSync);
        nStep.saveState(w);
    }

    void restoreState(StateCodec.Reader r) {
        generator = new Generator(0);
        generator.setState(r.getLongs());
        random = generator.random();
        Snapshottable.restore(env, r.getLongs(), "Apex actor " + index + " (" + env.id() + ")");
        obs = r.getDoubles();
        episodeReturn = r.getDouble();
        version = r.getLong();
        steps = r.getLong();
        lastSync = r.getLong();
        nStep.restoreState(r);
    }

    /** The network it acts with (saved and restored with the trainer's). */
    Module network() {
        return network;
    }

    @Override
    public long version() {
        return version;
    }

    /** Due when {@code actorSyncEvery} steps have passed since the last load. */
    @Override
    public boolean syncDue() {
        return steps - lastSync >= syncEvery;
    }

    @Override
    public void load(WeightSnapshot latest) {
        network.loadStateDict(latest.state(), true);
        version = latest.version();
        lastSync = steps;
    }

    /** {@code chunkSize} environment steps; the n-step rows they complete, scored. */
    @Override
    public Chunk collect() {
        List<Double> finished = new ArrayList<>();
        try (var _ = Sinter.noGrad()) {
            for (int t = 0; t < chunkSize; t++) {
                int action = random.nextDouble() < epsilon ? random.nextInt(numActions) : greedy(obs);
                StepResult<double[]> r = env.step(action);
                steps++;
                nStep.add(obs, action, r.reward(), r.observation(), r.terminated(), r.done());
                episodeReturn += r.reward();
                if (r.done()) {
                    finished.add(episodeReturn);
                    episodeReturn = 0;
                    obs = env.reset().observation();
                } else {
                    obs = r.observation();
                }
            }
            Replay.Batch rows = outbox.drain();
            double[] td = rows.size() == 0 ? new double[0] : DqnLoss.of(network, network, rows, observationSize, gamma, true).tdErrors();
            return new Chunk(index, rows, td, version, chunkSize, finished);
        }
    }

    private int greedy(double[] observation) {
        float[] q = network.forward(org.sinter.rl.Observations.row(observation, observationSize)).toFloatArray();
        int best = 0;
        for (int a = 1; a < q.length; a++) if (q[a] > q[best]) best = a;
        return best;
    }

    /** The n-step rows completed since the last chunk. */
    private static final class Outbox implements Replay {
        private final int capacity, observationSize;
        private ReplayBuffer rows;

        Outbox(int capacity, int observationSize) {
            this.capacity = capacity;
            this.observationSize = observationSize;
            this.rows = new ReplayBuffer(capacity, observationSize);
        }

        @Override
        public void add(double[] observation, int action, double reward, double[] nextObservation, boolean terminated, int horizon) {
            if (rows.size() == capacity) throw new IllegalStateException("ApexActor: more rows than a chunk can hold (" + capacity + ")");
            rows.add(observation, action, reward, nextObservation, terminated, horizon);
        }

        Replay.Batch drain() {
            int n = rows.size();
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            Replay.Batch b = rows.gather(idx, new float[n]);
            rows = new ReplayBuffer(capacity, observationSize);
            return b;
        }

        @Override
        public Batch sample(int batchSize, java.util.random.RandomGenerator random, double progress) {
            throw new UnsupportedOperationException("ApexActor's outbox is drained, not sampled");
        }

        @Override
        public int size() {
            return rows.size();
        }
    }
}
