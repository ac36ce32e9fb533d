package org.sinter.rl.a2c;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.RMSprop;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingState;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.actorcritic.ActorCriticRollout;

/**
 * Synchronous advantage actor-critic (A2C, the synchronous form of Mnih et al. 2016's A3C) for
 * discrete actions, following Stable-Baselines3's {@code A2C}: every update takes a short rollout
 * of {@code numSteps} steps from each of {@code numEnvs} environment copies, bootstraps the
 * returns from V of the last observation (GAE with λ = 1 by default: n-step returns), and takes
 * one RMSprop step on the whole batch ({@link A2cLoss}), with global gradient-norm clipping. As in
 * {@link org.sinter.rl.ppo.Ppo}, a time-limit truncation bootstraps from V(final observation).
 *
 * <p>Seeded: the network, the environments ({@code seed + i}) and action sampling derive from one
 * seed, so a run repeats exactly, and a run stopped at a {@link #saveState saved state} and
 * {@link #resume resumed} ends exactly where the uninterrupted run ends.
 */
public final class A2c implements AutoCloseable {
    /** A progress report after each {@code reportEvery} environment steps. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) implements org.sinter.rl.TrainingProgress {}

    private final A2cConfig config;
    private final ActorCriticRollout rollout;
    private final ActorCritic model;
    private final RMSprop optimizer;
    private final int observationSize;
    private final long seed;
    private EpisodeReturns returns;
    private EpisodeReturns.History earlier = EpisodeReturns.History.NONE;
    private boolean resumed;

    public A2c(Supplier<? extends Env<double[], Integer>> envFactory, A2cConfig config, long seed) {
        this(envFactory, config, seed, org.sinter.rl.vector.VectorMode.SYNC);
    }

    /** A2C whose environment copies are stepped as {@code vector} says; {@link #close} stops their threads or processes. */
    public A2c(Supplier<? extends Env<double[], Integer>> envFactory, A2cConfig config, long seed, org.sinter.rl.vector.VectorMode vector) {
        this.config = config;
        this.seed = seed;
        this.rollout = new ActorCriticRollout("A2c", envFactory, vector, config.numEnvs(), config.numSteps(), config.hidden(), config.gamma(),
                config.gaeLambda(), seed, 0xA2C0FFEEL);
        this.model = rollout.model();
        this.observationSize = rollout.observationSize();
        this.optimizer = new RMSprop(model.parameters(), RMSprop.options().lr(config.learningRate()).alpha(config.rmsAlpha()).eps(config.rmsEps()));
    }

    public ActorCritic model() {
        return model;
    }

    /**
     * Trains until {@code totalTimesteps}, or until the mean return over the last {@code window}
     * episodes reaches {@code stopReturn} (+∞: never stop early); reports progress about every
     * {@code reportEvery} steps.
     */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        long start = System.nanoTime();
        if (!resumed) rollout.reset();
        returns = new EpisodeReturns(window, stopReturn);
        returns.addAll(earlier);
        long lastReport = rollout.steps();
        while (rollout.steps() + config.batchSize() <= config.totalTimesteps() && !returns.reached()) {
            ActorCriticRollout.Batch b = rollout.collect(returns);
            learn(b.observations(), b.actions(), b.values(), b.advantages());
            long steps = rollout.steps();
            if (progress != null && (steps - lastReport >= reportEvery || returns.reached())) {
                lastReport = steps;
                progress.accept(new Progress(steps, returns.episodes(), returns.recentMean(), steps / ((System.nanoTime() - start) / 1e9)));
            }
        }
        return returns.result(rollout.steps(), (System.nanoTime() - start) / 1e9);
    }

    /** One RMSprop step on the A2C loss over the rollout. */
    private void learn(double[][][] bObs, int[][] bActions, double[][] bValues, double[][] adv) {
        int steps = config.numSteps(), n = config.numEnvs(), size = config.batchSize();
        float[] o = new float[size * observationSize], advantage = new float[size], ret = new float[size];
        long[] a = new long[size];
        for (int t = 0, k = 0; t < steps; t++) {
            for (int i = 0; i < n; i++, k++) {
                for (int d = 0; d < observationSize; d++) o[k * observationSize + d] = (float) bObs[t][i][d];
                a[k] = bActions[t][i];
                advantage[k] = (float) adv[t][i];
                ret[k] = (float) (adv[t][i] + bValues[t][i]);
            }
        }
        A2cLoss.Parts loss = A2cLoss.of(model, Tensor.of(o, size, observationSize), Tensor.of(a, size, 1), Tensor.of(advantage, size),
                Tensor.of(ret, size), config.entCoef(), config.vfCoef());
        optimizer.zeroGrad();
        loss.total().backward();
        ClipGrad.clipGradNorm_(model.parameters(), config.maxGradNorm());
        optimizer.step();
    }

    /** What a saved state must match to resume this run: algorithm, environment, seed and settings. */
    private Map<String, String> identity() {
        return Map.of("rl.algorithm", "a2c", "rl.env", rollout.envId(), "rl.seed", Long.toString(seed), "rl.config", config.toString());
    }

    /**
     * Saves everything a resumed run needs to continue exactly as this one would: network, RMSprop,
     * the rollout (sampling stream, environments, observations, partial returns) and the episode
     * history. Call between updates (from the progress callback or after {@link #train}); atomic.
     */
    public void saveState(Path file) throws IOException {
        if (returns == null) throw new IllegalStateException("A2c: nothing to save before training starts");
        StateCodec.Writer w = new StateCodec.Writer();
        rollout.saveState(w);
        w.putEpisodes(returns);
        TrainingState.save(file, model, optimizer, rollout.steps(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote (by a run with the same environment, seed and settings); {@link #train} then continues it. */
    public void resume(Path file) throws IOException {
        var c = TrainingState.load(file, model, optimizer, identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        rollout.restoreState(r);
        earlier = r.getEpisodes();
        resumed = true;
    }

    /** Environment steps taken so far (a resumed run starts from its saved count). */
    public long steps() {
        return rollout.steps();
    }

    /** Stops the environment copies' threads or processes (nothing for synchronous copies). */
    @Override
    public void close() {
        rollout.close();
    }
}
