package org.sinter.rl.dqn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;
import org.sinter.rl.DiscreteSpaces;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeLoop;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingState;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.StepResult;

/**
 * Deep Q-learning (Mnih et al. 2015) following CleanRL's {@code dqn.py}: ε-greedy actions with a
 * linearly decaying ε, a uniform replay buffer, a target network copied (or Polyak-averaged, τ < 1)
 * every {@code targetNetworkFrequency} steps, an MSE TD loss and Adam; with {@code doubleDqn} the
 * target is r + γ Q_target(s', argmax_a Q(s', a)). Time-limit truncation does not cut the bootstrap.
 * Seeded: network, environment, exploration and replay sampling derive from one seed. A run can be
 * saved between two steps ({@link #saveState}: networks, Adam, replay with its priorities and
 * pending n-step starts, the sampling stream, the environment) and resumed bit for bit; ε is a
 * function of the step, so its schedule continues too.
 */
public final class Dqn {
    /** A progress report, every {@code reportEvery} environment steps. */
    public record Progress(long steps, int episodes, double meanReturn, double epsilon, double stepsPerSecond) implements org.sinter.rl.TrainingProgress {}

    private final EpisodeLoop<Integer> loop;
    private final DqnConfig config;
    private final long seed;
    private final Module qNetwork, targetNetwork;
    private final Adam optimizer;
    private final Replay buffer;
    private final NStepAccumulator nStep;
    private final Generator generator;
    private RandomGenerator random; // the generator's stream; a restored state replaces it
    private final int observationSize, numActions;

    public Dqn(Env<double[], Integer> env, DqnConfig config, long seed) {
        DiscreteSpaces spaces = DiscreteSpaces.of("Dqn", env);
        this.loop = new EpisodeLoop<>(env, seed);
        this.config = config;
        this.seed = seed;
        this.observationSize = spaces.observationSize();
        this.numActions = spaces.numActions();
        Sinter.manualSeed(seed);
        DqnVariants v = config.variants();
        this.qNetwork = v.dueling() ? new DuelingQNetwork(observationSize, numActions, config.hidden()) : new QNetwork(observationSize, numActions, config.hidden());
        this.targetNetwork = v.dueling() ? new DuelingQNetwork(observationSize, numActions, config.hidden()) : new QNetwork(observationSize, numActions, config.hidden());
        targetNetwork.loadStateDict(qNetwork.stateDict(), true);
        this.optimizer = new Adam(qNetwork.parameters(), config.learningRate());
        this.buffer = v.prioritized()
                ? new PrioritizedReplayBuffer(config.bufferSize(), observationSize, v.priorityAlpha(), v.priorityBeta0(), v.priorityEpsilon())
                : new ReplayBuffer(config.bufferSize(), observationSize);
        this.nStep = v.nStep() > 1 ? new NStepAccumulator(v.nStep(), config.gamma(), buffer) : null;
        this.generator = new Generator(seed ^ 0x9E3779B97F4A7C15L);
        this.random = generator.random();
    }

    /** The online network: a {@link QNetwork}, or a {@link DuelingQNetwork} with the dueling variant. */
    public Module qNetwork() {
        return qNetwork;
    }

    /** Trains until {@code totalTimesteps} or until the last {@code window} episodes average {@code stopReturn}. */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        long start = System.nanoTime();
        EpisodeReturns returns = loop.begin(window, stopReturn);
        long startStep = loop.step();
        while (loop.step() < config.totalTimesteps()) {
            double[] obs = loop.observation();
            double epsilon = config.epsilon(loop.step());
            int action = random.nextDouble() < epsilon ? random.nextInt(numActions) : greedy(obs);
            StepResult<double[]> r = loop.act(action);
            long step = loop.step();
            if (nStep != null) nStep.add(obs, action, r.reward(), r.observation(), r.terminated(), r.done());
            else buffer.add(obs, action, r.reward(), r.observation(), r.terminated(), 1);
            if (loop.finish(r)) break;
            if (step > config.learningStarts()) {
                if (step % config.trainFrequency() == 0) learn((double) step / config.totalTimesteps());
                if (step % config.targetNetworkFrequency() == 0) updateTarget();
            }
            if (progress != null && step % reportEvery == 0) {
                progress.accept(new Progress(step, returns.episodes(), returns.recentMean(), epsilon, (step - startStep) / ((System.nanoTime() - start) / 1e9)));
            }
        }
        return returns.result(loop.step(), (System.nanoTime() - start) / 1e9);
    }

    /** Environment steps taken so far (a resumed run starts from its saved count). */
    public long steps() {
        return loop.step();
    }

    private Map<String, String> identity() {
        return Map.of("rl.algorithm", "dqn", "rl.env", loop.envId(), "rl.seed", Long.toString(seed), "rl.config", TrainingState.settings(config));
    }

    /**
     * Saves everything a resumed run needs to continue exactly: both networks, Adam, the replay (rows,
     * position, priorities), pending n-step starts, the exploration and sampling stream, the
     * environment and the episode history. Call between steps (from the progress callback or after
     * {@link #train}); the file is written atomically.
     */
    public void saveState(Path file) throws IOException {
        StateCodec.Writer w = new StateCodec.Writer();
        loop.save(w);
        w.putLongs(generator.state());
        buffer.saveState(w);
        if (nStep != null) nStep.saveState(w);
        TrainingState.save(file, Map.of("q", qNetwork, "target", targetNetwork), Map.of("adam", optimizer), loop.step(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote by a run with the same environment, seed and settings; {@link #train} then continues it. */
    public void resume(Path file) throws IOException {
        var c = TrainingState.load(file, Map.of("q", qNetwork, "target", targetNetwork), Map.of("adam", optimizer), identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        loop.restore(r);
        generator.setState(r.getLongs());
        random = generator.random();
        buffer.restoreState(r);
        if (nStep != null) nStep.restoreState(r);
    }

    private int greedy(double[] observation) {
        float[] x = new float[observationSize];
        for (int d = 0; d < observationSize; d++) x[d] = (float) observation[d];
        try (var _ = Sinter.noGrad()) {
            float[] q = qNetwork.forward(Tensor.of(x, 1, observationSize)).toFloatArray();
            int best = 0;
            for (int a = 1; a < q.length; a++) if (q[a] > q[best]) best = a;
            return best;
        }
    }

    private void learn(double progress) {
        Replay.Batch b = buffer.sample(config.batchSize(), random, progress);
        DqnLoss.Result r = DqnLoss.of(qNetwork, targetNetwork, b, observationSize, config.gamma(), config.doubleDqn());
        optimizer.zeroGrad();
        r.loss().backward();
        optimizer.step();
        buffer.updatePriorities(b.indices(), r.tdErrors());
    }

    /** target ← τ·online + (1 − τ)·target. */
    private void updateTarget() {
        if (config.tau() == 1.0) {
            targetNetwork.loadStateDict(qNetwork.stateDict(), true);
            return;
        }
        try (var _ = Sinter.noGrad()) {
            List<Tensor> online = qNetwork.parameters(), target = targetNetwork.parameters();
            for (int i = 0; i < online.size(); i++) target.get(i).mul_(1 - config.tau()).add_(online.get(i), config.tau());
        }
    }
}
