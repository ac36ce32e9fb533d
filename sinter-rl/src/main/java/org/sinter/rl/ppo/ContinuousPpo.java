package org.sinter.rl.ppo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.optim.ParamGroup;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.TrainingState;
import org.sinter.rl.actorcritic.DiagonalGaussian;
import org.sinter.rl.actorcritic.GaussianActorCritic;

/**
 * PPO for continuous actions, following CleanRL's {@code ppo_continuous_action.py}: a diagonal
 * Gaussian policy with a state-independent log-std ({@link GaussianActorCritic}), observation and
 * reward normalization and clipped actions ({@link GaussianRollout}), and the same clipped
 * objective ({@link PpoLoss}), epochs of shuffled minibatches, Adam (ε 1e-5), gradient-norm clip and
 * learning-rate annealing as the discrete {@link Ppo}.
 *
 * <p>Seeded: network, environments ({@code seed + i}), Gaussian draws and minibatch shuffling
 * derive from one seed, so a run repeats exactly.
 */
public final class ContinuousPpo {
    private final PpoConfig config;
    private final GaussianRollout rollout;
    private final GaussianActorCritic model;
    private final Adam optimizer;
    private RandomGenerator random;
    private final long seed;
    private int nextUpdate;
    private EpisodeReturns returns;
    private List<Double> earlierReturns = List.of();
    private List<Long> earlierEndSteps = List.of();
    private boolean resumed;
    private final int observationSize, actionSize;

    public ContinuousPpo(Supplier<? extends Env<double[], double[]>> envFactory, PpoConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.rollout = new GaussianRollout(envFactory, config.numEnvs(), config.numSteps(), config.hidden(), config.gamma(), config.gaeLambda(), seed);
        this.model = rollout.model();
        this.observationSize = rollout.observationSize();
        this.actionSize = rollout.actionSize();
        this.optimizer = new Adam(model.parameters(), Adam.options().lr(config.learningRate()).eps(1e-5));
        this.random = rollout.random();
    }

    public GaussianActorCritic model() {
        return model;
    }

    /** Trains until {@code totalTimesteps} or until the last {@code window} episodes average {@code stopReturn} (+∞: never). */
    public TrainingResult train(double stopReturn, int window, Consumer<Ppo.Progress> progress) {
        long start = System.nanoTime();
        if (!resumed) {
            rollout.reset();
            nextUpdate = 0;
        }
        long startSteps = rollout.steps();
        returns = new EpisodeReturns(window, stopReturn);
        returns.addAll(earlierReturns, earlierEndSteps);
        int numUpdates = (int) (config.totalTimesteps() / config.batchSize());
        while (nextUpdate < numUpdates && !returns.reached()) {
            int update = nextUpdate;
            if (config.annealLr()) {
                double lr = (1.0 - (double) update / numUpdates) * config.learningRate();
                for (ParamGroup g : optimizer.paramGroups()) g.set("lr", lr);
            }
            GaussianRollout.Batch b = rollout.collect(returns);
            learn(b);
            nextUpdate = update + 1;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (progress != null) progress.accept(new Ppo.Progress(rollout.steps(), returns.episodes(), returns.recentMean(), (rollout.steps() - startSteps) / seconds));
        }
        return returns.result(rollout.steps(), (System.nanoTime() - start) / 1e9);
    }

    private Map<String, String> identity() {
        return Map.of("rl.algorithm", "ppo-continuous", "rl.env", rollout.envId(), "rl.seed", Long.toString(seed), "rl.config", config.toString());
    }

    /** As {@link Ppo#saveState}, with both normalization statistics: call between updates; atomic. */
    public void saveState(Path file) throws IOException {
        if (returns == null) throw new IllegalStateException("ContinuousPpo: nothing to save before training starts");
        StateCodec.Writer w = new StateCodec.Writer();
        rollout.saveState(w);
        w.putLong(nextUpdate);
        w.putDoubles(returns.all().stream().mapToDouble(Double::doubleValue).toArray());
        w.putLongs(returns.endSteps().stream().mapToLong(Long::longValue).toArray());
        TrainingState.save(file, model, optimizer, rollout.steps(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote by a run with the same environment, seed and settings. */
    public void resume(Path file) throws IOException {
        var c = TrainingState.load(file, model, optimizer, identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        rollout.restoreState(r);
        random = rollout.random();
        nextUpdate = (int) r.getLong();
        earlierReturns = java.util.Arrays.stream(r.getDoubles()).boxed().toList();
        earlierEndSteps = java.util.Arrays.stream(r.getLongs()).boxed().toList();
        resumed = true;
    }

    public long steps() {
        return rollout.steps();
    }

    private void learn(GaussianRollout.Batch b) {
        int steps = config.numSteps(), n = config.numEnvs(), size = config.batchSize(), mbSize = size / config.numMinibatches();
        double[][] flatObs = new double[size][];
        float[][] flatActions = new float[size][];
        double[] flatLogProbs = new double[size], flatValues = new double[size], flatAdv = new double[size];
        for (int t = 0, k = 0; t < steps; t++) {
            for (int i = 0; i < n; i++, k++) {
                flatObs[k] = b.observations()[t][i];
                flatActions[k] = b.actions()[t][i];
                flatLogProbs[k] = b.logProbs()[t][i];
                flatValues[k] = b.values()[t][i];
                flatAdv[k] = b.advantages()[t][i];
            }
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            PpoLoss.shuffle(order, random);
            for (int from = 0; from < size; from += mbSize) {
                float[] o = new float[mbSize * observationSize], a = new float[mbSize * actionSize];
                float[] oldLogProb = new float[mbSize], oldValue = new float[mbSize], advantage = new float[mbSize], ret = new float[mbSize];
                for (int j = 0; j < mbSize; j++) {
                    int k = order[from + j];
                    for (int d = 0; d < observationSize; d++) o[j * observationSize + d] = (float) flatObs[k][d];
                    System.arraycopy(flatActions[k], 0, a, j * actionSize, actionSize);
                    oldLogProb[j] = (float) flatLogProbs[k];
                    oldValue[j] = (float) flatValues[k];
                    advantage[j] = (float) flatAdv[k];
                    ret[j] = (float) (flatAdv[k] + flatValues[k]);
                }
                if (config.normAdv()) PpoLoss.normalizeAdvantages(advantage);
                PpoLoss.Parts loss = loss(model, Tensor.of(o, mbSize, observationSize), Tensor.of(a, mbSize, actionSize), Tensor.of(oldLogProb, mbSize),
                        Tensor.of(oldValue, mbSize), Tensor.of(advantage, mbSize), Tensor.of(ret, mbSize), config);
                optimizer.zeroGrad();
                loss.total().backward();
                ClipGrad.clipGradNorm_(model.parameters(), config.maxGradNorm());
                optimizer.step();
            }
        }
    }

    /** The PPO loss of a minibatch of normalized observations and actions under the Gaussian policy. */
    public static PpoLoss.Parts loss(GaussianActorCritic model, Tensor obs, Tensor actions, Tensor oldLogProb, Tensor oldValue, Tensor advantage,
                                     Tensor returns, PpoConfig config) {
        Tensor mean = model.actionMean(obs);
        Tensor newLogProb = DiagonalGaussian.logProb(mean, model.actorLogStd, actions);
        Tensor entropy = DiagonalGaussian.entropy(model.actorLogStd, mean.shape()[0]);
        return PpoLoss.of(newLogProb, entropy, model.value(obs), oldLogProb, oldValue, advantage, returns, config.clipCoef(), config.clipVloss(),
                config.entCoef(), config.vfCoef());
    }
}
