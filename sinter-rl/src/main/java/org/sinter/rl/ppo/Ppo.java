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
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.actorcritic.ActorCriticRollout;

/**
 * Proximal policy optimization with the clipped surrogate objective (Schulman et al. 2017) for
 * discrete actions, following CleanRL's {@code ppo.py}: synchronous vectorized rollouts, GAE(λ),
 * advantage normalization per minibatch, clipped value loss, entropy bonus, several epochs of Adam
 * over shuffled minibatches, gradient-norm clipping and a linearly annealed learning rate. Unlike
 * CleanRL, a time-limit truncation bootstraps: the ended step's reward gains γ·V(final observation).
 *
 * <p>Seeded: the network, the environments ({@code seed + i}), action sampling and minibatch
 * shuffling all derive from one seed, so a run repeats exactly.
 */
public final class Ppo {
    /** A progress report after each update. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond) implements org.sinter.rl.TrainingProgress {}

    private final PpoConfig config;
    private final ActorCriticRollout rollout;
    private final ActorCritic model;
    private final Adam optimizer;
    private RandomGenerator random;
    private final long seed;
    private int nextUpdate;
    private EpisodeReturns returns;
    private List<Double> earlierReturns = List.of();
    private List<Long> earlierEndSteps = List.of();
    private boolean resumed;
    private final int observationSize;

    public Ppo(Supplier<? extends Env<double[], Integer>> envFactory, PpoConfig config, long seed) {
        this.config = config;
        this.seed = seed;
        this.rollout = new ActorCriticRollout("Ppo", envFactory, config.numEnvs(), config.numSteps(), config.hidden(), config.gamma(),
                config.gaeLambda(), seed, 0x5DEECE66DL);
        this.model = rollout.model();
        this.observationSize = rollout.observationSize();
        this.optimizer = new Adam(model.parameters(), Adam.options().lr(config.learningRate()).eps(1e-5));
        this.random = rollout.random(); // minibatch shuffling continues the action-sampling stream
    }

    public ActorCritic model() {
        return model;
    }

    /**
     * Trains until {@code totalTimesteps}, or until the mean return over the last {@code window}
     * episodes reaches {@code stopReturn} (pass +∞ to never stop early).
     */
    public TrainingResult train(double stopReturn, int window, Consumer<Progress> progress) {
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
            ActorCriticRollout.Batch b = rollout.collect(returns);
            learn(b.observations(), b.actions(), b.logProbs(), b.values(), b.advantages());
            nextUpdate = update + 1;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (progress != null) progress.accept(new Progress(rollout.steps(), returns.episodes(), returns.recentMean(), (rollout.steps() - startSteps) / seconds));
        }
        return returns.result(rollout.steps(), (System.nanoTime() - start) / 1e9);
    }

    /** What a saved state must match to resume this run: algorithm, environment, seed and settings. */
    private Map<String, String> identity() {
        return Map.of("rl.algorithm", "ppo", "rl.env", rollout.envId(), "rl.seed", Long.toString(seed), "rl.config", config.toString());
    }

    /**
     * Saves everything a resumed run needs to continue exactly as this one would: network, Adam,
     * the rollout (sampling stream, environments, observations), the next update and the episode
     * history. Call between updates (from the progress callback or after {@link #train}); atomic.
     */
    public void saveState(Path file) throws IOException {
        if (returns == null) throw new IllegalStateException("Ppo: nothing to save before training starts");
        StateCodec.Writer w = new StateCodec.Writer();
        rollout.saveState(w);
        w.putLong(nextUpdate);
        List<Double> all = returns.all();
        w.putDoubles(all.stream().mapToDouble(Double::doubleValue).toArray());
        w.putLongs(returns.endSteps().stream().mapToLong(Long::longValue).toArray());
        TrainingState.save(file, model, optimizer, rollout.steps(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote (by a run with the same environment, seed and settings); {@link #train} then continues it. */
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

    /** Environment steps taken so far (a resumed run starts from its saved count). */
    public long steps() {
        return rollout.steps();
    }

    /** Several epochs of minibatch Adam on the clipped PPO loss over one rollout. */
    private void learn(double[][][] bObs, int[][] bActions, double[][] bLogProbs, double[][] bValues, double[][] adv) {
        int steps = config.numSteps(), n = config.numEnvs(), size = config.batchSize();
        int mbSize = size / config.numMinibatches();
        double[][] flatObs = new double[size][];
        int[] flatActions = new int[size];
        double[] flatLogProbs = new double[size], flatValues = new double[size], flatAdv = new double[size], flatReturns = new double[size];
        for (int t = 0, k = 0; t < steps; t++) {
            for (int i = 0; i < n; i++, k++) {
                flatObs[k] = bObs[t][i];
                flatActions[k] = bActions[t][i];
                flatLogProbs[k] = bLogProbs[t][i];
                flatValues[k] = bValues[t][i];
                flatAdv[k] = adv[t][i];
                flatReturns[k] = adv[t][i] + bValues[t][i];
            }
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            PpoLoss.shuffle(order, random);
            for (int from = 0; from < size; from += mbSize) {
                float[] o = new float[mbSize * observationSize];
                long[] a = new long[mbSize];
                float[] oldLogProb = new float[mbSize], oldValue = new float[mbSize], advantage = new float[mbSize], ret = new float[mbSize];
                for (int j = 0; j < mbSize; j++) {
                    int k = order[from + j];
                    for (int d = 0; d < observationSize; d++) o[j * observationSize + d] = (float) flatObs[k][d];
                    a[j] = flatActions[k];
                    oldLogProb[j] = (float) flatLogProbs[k];
                    oldValue[j] = (float) flatValues[k];
                    advantage[j] = (float) flatAdv[k];
                    ret[j] = (float) flatReturns[k];
                }
                if (config.normAdv()) PpoLoss.normalizeAdvantages(advantage);
                Tensor loss = loss(Tensor.of(o, mbSize, observationSize), Tensor.of(a, mbSize, 1), Tensor.of(oldLogProb, mbSize),
                        Tensor.of(oldValue, mbSize), Tensor.of(advantage, mbSize), Tensor.of(ret, mbSize));
                optimizer.zeroGrad();
                loss.backward();
                ClipGrad.clipGradNorm_(model.parameters(), config.maxGradNorm());
                optimizer.step();
            }
        }
    }

    /** Clipped surrogate + vf_coef · (clipped) value loss − ent_coef · entropy. */
    private Tensor loss(Tensor obs, Tensor actions, Tensor oldLogProb, Tensor oldValue, Tensor advantage, Tensor returns) {
        Tensor logProbs = model.logits(obs).logSoftmax(1);
        Tensor newLogProb = logProbs.gather(1, actions).squeeze(1);
        Tensor entropy = logProbs.exp().mul(logProbs).sum(1, false).neg();
        return PpoLoss.of(newLogProb, entropy, model.value(obs), oldLogProb, oldValue, advantage, returns, config.clipCoef(), config.clipVloss(),
                config.entCoef(), config.vfCoef()).total();
    }
}
