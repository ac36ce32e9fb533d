package org.sinter.rl.a2c;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.RMSprop;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.ppo.ActorCritic;
import org.sinter.rl.ppo.Gae;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;
import org.sinter.rl.vector.SyncVectorEnv;
import org.sinter.rl.vector.VectorStep;

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
public final class A2c {
    /** A progress report after each {@code reportEvery} environment steps. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) {}

    private final A2cConfig config;
    private final SyncVectorEnv<double[], Integer> envs;
    private final ActorCritic model;
    private final RMSprop optimizer;
    private final RandomGenerator random;
    private final long seed;
    private final int observationSize;

    public A2c(Supplier<? extends Env<double[], Integer>> envFactory, A2cConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.envs = new SyncVectorEnv<>(envFactory, config.numEnvs());
        Env<double[], Integer> first = envs.env(0);
        if (!(first.observationSpace() instanceof Box box) || !(first.actionSpace() instanceof Discrete actions)) {
            throw new IllegalArgumentException("A2c: " + first.id() + " needs a Box observation space and a Discrete action space, has "
                    + first.observationSpace() + " and " + first.actionSpace());
        }
        this.observationSize = box.size();
        Sinter.manualSeed(seed);
        this.model = new ActorCritic(observationSize, actions.n(), config.hidden());
        this.optimizer = new RMSprop(model.parameters(), RMSprop.options().lr(config.learningRate()).alpha(config.rmsAlpha()).eps(config.rmsEps()));
        this.random = new Generator(seed ^ 0xA2C0FFEEL).random();
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
        int n = config.numEnvs(), steps = config.numSteps();
        long start = System.nanoTime();
        List<double[]> obs = envs.reset(seed);
        double[] episodeReturn = new double[n];
        EpisodeReturns returns = new EpisodeReturns(window, stopReturn);
        long globalStep = 0, lastReport = 0;
        double[][][] bObs = new double[steps][n][];
        int[][] bActions = new int[steps][n];
        double[][] bRewards = new double[steps][n], bValues = new double[steps][n];
        boolean[][] bDones = new boolean[steps][n];
        while (globalStep + config.batchSize() <= config.totalTimesteps() && !returns.reached()) {
            for (int t = 0; t < steps; t++) {
                globalStep += n;
                double[][] probs;
                double[] values;
                try (var _ = Sinter.noGrad()) {
                    Tensor x = batch(obs);
                    probs = rows(model.logits(x).softmax(1), n);
                    values = model.value(x).toDoubleArray();
                }
                List<Integer> actions = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int a = sample(probs[i]);
                    actions.add(a);
                    bObs[t][i] = obs.get(i);
                    bActions[t][i] = a;
                    bValues[t][i] = values[i];
                }
                VectorStep<double[]> step = envs.step(actions);
                for (int i = 0; i < n; i++) {
                    double r = step.rewards()[i];
                    episodeReturn[i] += r;
                    if (step.truncated()[i] && !step.terminated()[i]) r += config.gamma() * valueOf(step.finalObservations().get(i));
                    bRewards[t][i] = r;
                    bDones[t][i] = step.done(i);
                    if (step.done(i)) {
                        returns.add(episodeReturn[i], globalStep);
                        episodeReturn[i] = 0;
                    }
                }
                obs = step.observations();
            }
            double[] nextValues;
            try (var _ = Sinter.noGrad()) {
                nextValues = model.value(batch(obs)).toDoubleArray();
            }
            double[][] adv = Gae.advantages(bRewards, bValues, bDones, nextValues, config.gamma(), config.gaeLambda());
            learn(bObs, bActions, bValues, adv);
            if (progress != null && (globalStep - lastReport >= reportEvery || returns.reached())) {
                lastReport = globalStep;
                progress.accept(new Progress(globalStep, returns.episodes(), returns.recentMean(), globalStep / ((System.nanoTime() - start) / 1e9)));
            }
        }
        return returns.result(globalStep, (System.nanoTime() - start) / 1e9);
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

    private double valueOf(double[] observation) {
        try (var _ = Sinter.noGrad()) {
            return model.value(batch(List.of(observation))).item();
        }
    }

    private Tensor batch(List<double[]> observations) {
        float[] data = new float[observations.size() * observationSize];
        for (int i = 0; i < observations.size(); i++) {
            for (int d = 0; d < observationSize; d++) data[i * observationSize + d] = (float) observations.get(i)[d];
        }
        return Tensor.of(data, observations.size(), observationSize);
    }

    private static double[][] rows(Tensor t, int n) {
        float[] flat = t.contiguous().toFloatArray();
        int width = flat.length / n;
        double[][] out = new double[n][width];
        for (int i = 0; i < n; i++) for (int j = 0; j < width; j++) out[i][j] = flat[i * width + j];
        return out;
    }

    private int sample(double[] probs) {
        double u = random.nextDouble(), acc = 0;
        for (int a = 0; a < probs.length - 1; a++) {
            acc += probs[a];
            if (u < acc) return a;
        }
        return probs.length - 1;
    }
}
