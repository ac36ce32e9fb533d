package org.sinter.rl.dqn;

import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * Deep Q-learning (Mnih et al. 2015) following CleanRL's {@code dqn.py}: ε-greedy actions with a
 * linearly decaying ε, a uniform replay buffer, a target network copied (or Polyak-averaged, τ < 1)
 * every {@code targetNetworkFrequency} steps, an MSE TD loss and Adam; with {@code doubleDqn} the
 * target is r + γ Q_target(s', argmax_a Q(s', a)). Time-limit truncation does not cut the bootstrap.
 * Seeded: network, environment, exploration and replay sampling derive from one seed.
 */
public final class Dqn {
    /** A progress report, every {@code reportEvery} environment steps. */
    public record Progress(long steps, int episodes, double meanReturn, double epsilon, double stepsPerSecond) {}

    private final Env<double[], Integer> env;
    private final DqnConfig config;
    private final long seed;
    private final Module qNetwork, targetNetwork;
    private final Adam optimizer;
    private final Replay buffer;
    private final NStepAccumulator nStep;
    private final RandomGenerator random;
    private final int observationSize, numActions;

    public Dqn(Env<double[], Integer> env, DqnConfig config, long seed) {
        if (!(env.observationSpace() instanceof Box box) || !(env.actionSpace() instanceof Discrete actions)) {
            throw new IllegalArgumentException("Dqn: " + env.id() + " needs a Box observation space and a Discrete action space, has "
                    + env.observationSpace() + " and " + env.actionSpace());
        }
        this.env = env;
        this.config = config;
        this.seed = seed;
        this.observationSize = box.size();
        this.numActions = actions.n();
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
        this.random = new Generator(seed ^ 0x9E3779B97F4A7C15L).random();
    }

    /** The online network: a {@link QNetwork}, or a {@link DuelingQNetwork} with the dueling variant. */
    public Module qNetwork() {
        return qNetwork;
    }

    /** Trains until {@code totalTimesteps} or until the last {@code window} episodes average {@code stopReturn}. */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        long start = System.nanoTime();
        double[] obs = env.reset(seed).observation();
        double episodeReturn = 0;
        EpisodeReturns returns = new EpisodeReturns(window, stopReturn);
        long step = 0;
        while (step < config.totalTimesteps()) {
            double epsilon = config.epsilon(step);
            int action = random.nextDouble() < epsilon ? random.nextInt(numActions) : greedy(obs);
            StepResult<double[]> r = env.step(action);
            step++;
            if (nStep != null) nStep.add(obs, action, r.reward(), r.observation(), r.terminated(), r.done());
            else buffer.add(obs, action, r.reward(), r.observation(), r.terminated(), 1);
            episodeReturn += r.reward();
            if (r.done()) {
                boolean reached = returns.add(episodeReturn, step);
                episodeReturn = 0;
                obs = env.reset().observation();
                if (reached) break;
            } else {
                obs = r.observation();
            }
            if (step > config.learningStarts()) {
                if (step % config.trainFrequency() == 0) learn((double) step / config.totalTimesteps());
                if (step % config.targetNetworkFrequency() == 0) updateTarget();
            }
            if (progress != null && step % reportEvery == 0) {
                progress.accept(new Progress(step, returns.episodes(), returns.recentMean(), epsilon, step / ((System.nanoTime() - start) / 1e9)));
            }
        }
        return returns.result(step, (System.nanoTime() - start) / 1e9);
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
