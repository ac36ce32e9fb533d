package org.sinter.rl.continuous;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeLoop;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingState;
import org.sinter.rl.Observations;
import org.sinter.rl.StepResult;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.spaces.Box;

/**
 * The loop DDPG, TD3 and SAC share (CleanRL's): uniformly random actions for the first
 * {@code learningStarts} steps, then the algorithm's behaviour policy; every transition goes to a
 * {@link ContinuousReplayBuffer}, and after the warm-up each environment step is followed by one
 * update. Seeded from one number: {@link Sinter#manualSeed} for the networks' initial weights, and
 * one {@link Generator} for random actions, behaviour noise and replay sampling, so that a seeded
 * run repeats exactly. A run can be saved between two steps ({@link #saveState}: every network and
 * optimizer, the replay, the stream, the environment) and resumed bit for bit.
 */
public abstract class OffPolicyTrainer {
    /** A progress report, every {@code reportEvery} environment steps. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) implements org.sinter.rl.TrainingProgress {}

    protected final Env<double[], double[]> env;
    private final EpisodeLoop<double[]> loop;
    private final String algorithm;
    protected final OffPolicyConfig config;
    protected final long seed;
    protected final int observationSize, actionSize;
    protected final Box actionSpace;
    /** Noise, random actions and replay sampling all draw from this one stream. */
    protected final Generator generator;
    protected final ContinuousReplayBuffer buffer;
    /** The action box's bounds, (actionSize) tensors. */
    protected final Tensor low, high;

    protected OffPolicyTrainer(String algorithm, Env<double[], double[]> env, OffPolicyConfig config, long seed) {
        if (!(env.observationSpace() instanceof Box obs) || !(env.actionSpace() instanceof Box actions)) {
            throw new IllegalArgumentException(algorithm + ": " + env.id() + " needs a Box observation space and a Box action space, has "
                    + env.observationSpace() + " and " + env.actionSpace());
        }
        this.env = env;
        this.loop = new EpisodeLoop<>(env, seed);
        this.algorithm = algorithm;
        this.config = config;
        this.seed = seed;
        this.observationSize = obs.size();
        this.actionSpace = actions;
        this.actionSize = actions.size();
        this.low = ActionBounds.bias(actions).sub(ActionBounds.scale(actions));
        this.high = ActionBounds.bias(actions).add(ActionBounds.scale(actions));
        this.buffer = new ContinuousReplayBuffer(config.bufferSize(), observationSize, actionSize);
        this.generator = new Generator(seed ^ 0x9E3779B97F4A7C15L);
        Sinter.manualSeed(seed); // the subclass builds its networks next, from this seed
    }

    /** The network that acts: its state dict is what a checkpoint holds. */
    public abstract Module policy();

    /** The greedy action for one observation (no exploration noise). */
    public abstract double[] act(double[] observation);

    /** The behaviour action for one observation during training, after the warm-up. */
    protected abstract double[] explore(double[] observation);

    /** One learning step after environment step {@code step}. */
    protected abstract void update(long step);

    /** Every network by a stable name (what a saved state holds). */
    protected abstract Map<String, Module> networks();

    /** Every optimizer by a stable name. */
    protected abstract Map<String, Adam> optimizers();

    /** Loose learned values beyond the networks (SAC's temperature); none by default. */
    protected void saveExtra(StateCodec.Writer w) {}

    protected void restoreExtra(StateCodec.Reader r) {}

    /** Environment steps taken so far (a resumed run starts from its saved count). */
    public long steps() {
        return loop.step();
    }

    private Map<String, String> identity() {
        return Map.of("rl.algorithm", algorithm, "rl.env", env.id(), "rl.seed", Long.toString(seed), "rl.config", TrainingState.settings(config));
    }

    /**
     * Saves everything a resumed run needs to continue exactly: networks, optimizers, the replay, the
     * stream, the environment, the episode history. Call between steps (from the progress callback or
     * after {@link #train}); the file is written atomically.
     */
    public void saveState(Path file) throws IOException {
        StateCodec.Writer w = new StateCodec.Writer();
        loop.save(w);
        w.putLongs(generator.state());
        buffer.saveState(w);
        saveExtra(w);
        TrainingState.save(file, networks(), optimizers(), loop.step(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote by a run with the same algorithm, environment, seed and settings. */
    public void resume(Path file) throws IOException {
        var c = TrainingState.load(file, networks(), optimizers(), identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        loop.restore(r);
        generator.setState(r.getLongs());
        buffer.restoreState(r);
        restoreExtra(r);
    }

    /** Trains until {@code totalTimesteps} or until the last {@code window} episodes average {@code stopReturn}. */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        long start = System.nanoTime();
        EpisodeReturns returns = loop.begin(window, stopReturn);
        long startStep = loop.step();
        while (loop.step() < config.totalTimesteps()) {
            double[] obs = loop.observation();
            double[] action = loop.step() < config.learningStarts() ? actionSpace.sample(generator) : explore(obs);
            StepResult<double[]> r = loop.act(action);
            long step = loop.step();
            buffer.add(obs, action, r.reward(), r.observation(), r.terminated());
            boolean reached = loop.finish(r);
            if (step > config.learningStarts()) update(step);
            if (progress != null && (step % reportEvery == 0 || reached)) {
                progress.accept(new Progress(step, returns.episodes(), returns.recentMean(), (step - startStep) / ((System.nanoTime() - start) / 1e9)));
            }
            if (reached) break;
        }
        return returns.result(loop.step(), (System.nanoTime() - start) / 1e9);
    }

    /** One observation as a (1, observationSize) float tensor. */
    protected final Tensor row(double[] observation) {
        return Observations.row(observation, observationSize);
    }

    /** The first row of a (1, n) tensor as doubles. */
    protected static double[] firstRow(Tensor t) {
        return Observations.firstRow(t);
    }

    /** A fresh critic Q(s, a) of this trainer's shape (drawing its initial weights from the global seed). */
    protected final ContinuousQNetwork newCritic() {
        return new ContinuousQNetwork(observationSize, actionSize, config.hidden());
    }

    /** One Adam over both twin critics' parameters, at the critic learning rate. */
    protected final Adam twinOptimizer(ContinuousQNetwork qf1, ContinuousQNetwork qf2) {
        List<Tensor> q = new ArrayList<>(qf1.parameters());
        q.addAll(qf2.parameters());
        return new Adam(q, config.criticLearningRate());
    }

    /** zero_grad, backward, step. */
    protected static void step(Adam optimizer, Tensor loss) {
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
    }

    /** Clips actions (B, n) into the action box. */
    protected final Tensor clipToBox(Tensor actions) {
        return actions.maximum(low).minimum(high);
    }

    /** Standard-normal noise of the given shape from this trainer's generator. */
    protected final Tensor noise(int... shape) {
        return generator.randn(DType.FLOAT32, shape);
    }

    /** target ← τ·online + (1 − τ)·target, parameter by parameter. */
    protected static void softUpdate(Module online, Module target, double tau) {
        try (var _ = Sinter.noGrad()) {
            List<Tensor> o = online.parameters(), t = target.parameters();
            for (int i = 0; i < o.size(); i++) t.get(i).mul_(1 - tau).add_(o.get(i), tau);
        }
    }

    /** A copy of {@code online}'s weights into {@code target} (the targets start equal to the online networks). */
    protected static <M extends Module> M copyOf(M online, M target) {
        target.loadStateDict(online.stateDict(), true);
        return target;
    }

    /** A replay minibatch as tensors: observations, actions, rewards (B), next observations, 1 − terminated (B). */
    protected record Minibatch(Tensor observations, Tensor actions, Tensor rewards, Tensor nextObservations, Tensor notTerminated) {
        public int size() {
            return rewards.shape()[0];
        }
    }

    /** {@code batchSize} rows drawn uniformly from the replay buffer with this trainer's generator. */
    protected final Minibatch sampleMinibatch() {
        ContinuousReplayBuffer.Batch b = buffer.sample(config.batchSize(), generator.random());
        int n = b.size();
        return new Minibatch(Tensor.of(b.observations(), n, observationSize), Tensor.of(b.actions(), n, actionSize), Tensor.of(b.rewards(), n),
                Tensor.of(b.nextObservations(), n, observationSize), Tensor.of(b.terminated(), n).neg().add(1.0));
    }
}
