package org.sinter.rl.a2c;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.RMSprop;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
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
 * seed, so a run repeats exactly.
 */
public final class A2c implements AutoCloseable {
    /** A progress report after each {@code reportEvery} environment steps. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) implements org.sinter.rl.TrainingProgress {}

    private final A2cConfig config;
    private final ActorCriticRollout rollout;
    private final ActorCritic model;
    private final RMSprop optimizer;
    private final int observationSize;

    public A2c(Supplier<? extends Env<double[], Integer>> envFactory, A2cConfig config, long seed) {
        this(envFactory, config, seed, org.sinter.rl.vector.VectorMode.SYNC);
    }

    /** A2C whose environment copies are stepped as {@code vector} says; {@link #close} stops their threads or processes. */
    public A2c(Supplier<? extends Env<double[], Integer>> envFactory, A2cConfig config, long seed, org.sinter.rl.vector.VectorMode vector) {
        this.config = config;
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
        rollout.reset();
        EpisodeReturns returns = new EpisodeReturns(window, stopReturn);
        long lastReport = 0;
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

    /** Stops the environment copies' threads or processes (nothing for synchronous copies). */
    @Override
    public void close() {
        rollout.close();
    }
}
