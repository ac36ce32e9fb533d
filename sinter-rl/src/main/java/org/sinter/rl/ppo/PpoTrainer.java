package org.sinter.rl.ppo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.optim.ParamGroup;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.TrainingState;
import org.sinter.rl.actorcritic.ResumableRollout;

/**
 * What discrete and continuous PPO share: the update loop (annealed learning rate, one rollout and
 * its learning per update), the epochs of shuffled minibatches with Adam and gradient-norm clipping,
 * and saving and resuming the run between updates. Subclasses own the rollout and the loss.
 */
abstract class PpoTrainer implements AutoCloseable {
    /** The loss of the minibatch of rows {@code order[from] … order[from + size − 1]}. */
    interface MinibatchLoss {
        Tensor of(int[] order, int from, int size);
    }

    protected final PpoConfig config;
    private final String algorithm;
    private final long seed;
    private final Module model;
    private final ResumableRollout rollout;
    private final Adam optimizer;
    /** Minibatch shuffling continues the rollout's sampling stream. */
    protected RandomGenerator random;
    private int nextUpdate;
    private EpisodeReturns returns;
    private EpisodeReturns.History earlier = EpisodeReturns.History.NONE;
    private boolean resumed;

    PpoTrainer(String algorithm, PpoConfig config, long seed, Module model, ResumableRollout rollout) {
        this.algorithm = algorithm;
        this.config = config;
        this.seed = seed;
        this.model = model;
        this.rollout = rollout;
        this.optimizer = new Adam(model.parameters(), Adam.options().lr(config.learningRate()).eps(1e-5));
        this.random = rollout.random();
    }

    /** One rollout (recording finished episodes in {@code returns}) and the epochs of learning on it. */
    protected abstract void collectAndLearn(EpisodeReturns returns);

    private long rolloutSteps() {
        return rollout.steps();
    }

    /** Trains until {@code totalTimesteps} or until the last {@code window} episodes average {@code stopReturn} (+∞: never). */
    public TrainingResult train(double stopReturn, int window, Consumer<Ppo.Progress> progress) {
        long start = System.nanoTime();
        if (!resumed) {
            rollout.reset();
            nextUpdate = 0;
        }
        long startSteps = rolloutSteps();
        returns = new EpisodeReturns(window, stopReturn);
        returns.addAll(earlier);
        int numUpdates = (int) (config.totalTimesteps() / config.batchSize());
        while (nextUpdate < numUpdates && !returns.reached()) {
            int update = nextUpdate;
            if (config.annealLr()) {
                double lr = (1.0 - (double) update / numUpdates) * config.learningRate();
                for (ParamGroup g : optimizer.paramGroups()) g.set("lr", lr);
            }
            collectAndLearn(returns);
            nextUpdate = update + 1;
            double seconds = (System.nanoTime() - start) / 1e9;
            if (progress != null) progress.accept(new Ppo.Progress(rolloutSteps(), returns.episodes(), returns.recentMean(), (rolloutSteps() - startSteps) / seconds));
        }
        return returns.result(rolloutSteps(), (System.nanoTime() - start) / 1e9);
    }

    /** {@code updateEpochs} passes over {@code batchSize} rows in shuffled minibatches: loss, backward, clip, Adam. */
    protected final void optimize(MinibatchLoss loss) {
        int size = config.batchSize(), mbSize = size / config.numMinibatches();
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        for (int epoch = 0; epoch < config.updateEpochs(); epoch++) {
            PpoLoss.shuffle(order, random);
            for (int from = 0; from < size; from += mbSize) {
                Tensor l = loss.of(order, from, mbSize);
                optimizer.zeroGrad();
                l.backward();
                ClipGrad.clipGradNorm_(model.parameters(), config.maxGradNorm());
                optimizer.step();
            }
        }
    }

    /** What a saved state must match to resume this run: algorithm, environment, seed and settings. */
    private Map<String, String> identity() {
        return Map.of("rl.algorithm", algorithm, "rl.env", rollout.envId(), "rl.seed", Long.toString(seed), "rl.config", config.toString());
    }

    /**
     * Saves everything a resumed run needs to continue exactly as this one would: network, Adam,
     * the rollout (sampling stream, environments, observations, normalization), the next update and
     * the episode history. Call between updates (from the progress callback or after {@link #train}); atomic.
     */
    public void saveState(Path file) throws IOException {
        if (returns == null) throw new IllegalStateException(getClass().getSimpleName() + ": nothing to save before training starts");
        StateCodec.Writer w = new StateCodec.Writer();
        rollout.saveState(w);
        w.putLong(nextUpdate);
        w.putEpisodes(returns);
        TrainingState.save(file, model, optimizer, rolloutSteps(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote (by a run with the same environment, seed and settings); {@link #train} then continues it. */
    public void resume(Path file) throws IOException {
        var c = TrainingState.load(file, model, optimizer, identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        rollout.restoreState(r);
        random = rollout.random();
        nextUpdate = (int) r.getLong();
        earlier = r.getEpisodes();
        resumed = true;
    }

    /** Environment steps taken so far (a resumed run starts from its saved count). */
    public long steps() {
        return rolloutSteps();
    }

    /** Stops the environment copies' threads or processes (nothing for synchronous copies). */
    @Override
    public void close() {
        rollout.close();
    }
}
