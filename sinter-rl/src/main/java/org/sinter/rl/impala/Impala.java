package org.sinter.rl.impala;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.rl.DiscreteSpaces;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.TrainingState;
import org.sinter.rl.WeightSnapshot;
import org.sinter.rl.actorcritic.ActorCritic;
import org.sinter.rl.remote.Placement;
import org.sinter.rl.remote.RolloutSource;
import org.sinter.rl.remote.RolloutThreads;
import org.sinter.rl.remote.WorkerProcesses;

/**
 * IMPALA (Espeholt et al. 2018) in threads: {@code numActors} {@link Actor} threads each step an
 * environment copy with a snapshot of the policy and send fixed-length trajectories to a bounded
 * queue; the learner (the calling thread) takes {@code batchTrajectories} at a time, corrects for
 * the policy lag with {@link VTrace}, takes one Adam step on the V-trace policy gradient, baseline
 * and entropy losses, and broadcasts the new weights (a versioned {@link Actor.Snapshot} the actors
 * pick up before their next unroll). It counts env steps/s, updates/s and the staleness of each
 * trajectory (learner updates between the snapshot that generated it and the update that uses it).
 *
 * <p>The actors run in threads or, with {@link Placement#PROCESSES}, each in its own JVM talking to
 * the learner over a loopback socket; the learner's loop ({@link RolloutThreads} around each
 * actor's {@link RolloutSource}) is the same either way.
 *
 * <p>The network's initial weights and each actor's environment and sampling are seeded, but the
 * interleaving of actors and learner is up to the scheduler, so a threaded run does not repeat
 * exactly, even with one actor (which weights it picks up before an unroll, and so the behaviour
 * policy, depends on how far it runs ahead of the learner). {@link #trainInline} drives the same
 * parts in one thread in a fixed order and repeats exactly.
 */
public final class Impala {
    /** A progress report after each learner update that crosses {@code reportEvery} more steps. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond, Counters counters) implements org.sinter.rl.TrainingProgress {}

    /**
     * The system's counters: env steps and updates, their rates, the behaviour policy's staleness,
     * and per actor the trajectories the learner consumed and the newest weights (learner update) they
     * were made with, which shows the broadcast reaching each actor.
     */
    public record Counters(long envSteps, long updates, double seconds, double meanStaleness, long maxStaleness, long[] trajectoriesPerActor,
                           long[] policyVersionPerActor) {
        public double envStepsPerSecond() {
            return envSteps / seconds;
        }

        public double updatesPerSecond() {
            return updates / seconds;
        }
    }

    private final ImpalaConfig config;
    private final Supplier<? extends Env<double[], Integer>> envFactory;
    private final String envId;
    private final ActorCritic model;
    private final Adam optimizer;
    private final long seed;
    private final int observationSize, numActions;
    private volatile WeightSnapshot snapshot;
    private volatile boolean stopping;
    private Counters counters;
    // The run's books, carried over by saveState and resume.
    private long version, steps, lastReport, maxStaleness;
    private double stalenessSum;
    private long[] perActor, actorVersions;
    private int nextActor;
    private EpisodeReturns returns;
    private EpisodeReturns.History earlier = EpisodeReturns.History.NONE;
    private boolean resumed;
    /** The actors in this process (inline or threads; empty with processes), built when training starts. */
    private List<Actor> actors = List.of();
    /** Actor states from a resumed state (null: none saved, the actors start afresh). */
    private List<Actor.State> savedActors;
    private long start;
    /** Whether this trainer's run is inline: its actors are then between unrolls whenever the learner reports. */
    private boolean inline;

    public Impala(Supplier<? extends Env<double[], Integer>> envFactory, ImpalaConfig config, long seed) {
        Env<double[], Integer> probe = envFactory.get();
        DiscreteSpaces spaces = DiscreteSpaces.of("Impala", probe);
        this.envFactory = envFactory;
        this.envId = probe.id();
        this.config = config;
        this.seed = seed;
        this.observationSize = spaces.observationSize();
        this.numActions = spaces.numActions();
        Sinter.manualSeed(seed);
        this.model = new ActorCritic(observationSize, numActions, config.hidden());
        this.optimizer = new Adam(model.parameters(), Adam.options().lr(config.learningRate()).eps(1e-5));
        this.perActor = new long[config.numActors()];
        this.actorVersions = new long[config.numActors()];
    }

    public ActorCritic model() {
        return model;
    }

    /** The counters of the last {@link #train} call. */
    public Counters counters() {
        return counters;
    }

    /** {@link #train(Placement, double, int, int, Consumer)} with actor threads. */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        return train(Placement.THREADS, stopReturn, window, reportEvery, progress);
    }

    /**
     * Trains until the learner has consumed {@code totalTimesteps} steps or the last {@code window}
     * episodes average {@code stopReturn}, with the actors in threads or processes ({@code placement};
     * processes build their environment by id, so it must be one of {@link Envs#IDS}).
     */
    public TrainingResult train(Placement placement, double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        int b = config.batchTrajectories();
        BlockingQueue<Trajectory> queue = new ArrayBlockingQueue<>(config.queueCapacity());
        begin(window, stopReturn);
        stopping = false;
        List<RolloutSource<Trajectory>> sources = placement == Placement.THREADS ? localSources() : startProcesses();
        RolloutThreads<Trajectory> threads = new RolloutThreads<>("impala-actor", sources, () -> snapshot, () -> stopping, () -> {}, tr -> {
            while (!queue.offer(tr, 100, TimeUnit.MILLISECONDS)) {
                if (stopping) return;
            }
        }, () -> {});
        try {
            while (steps < config.totalTimesteps() && !returns.reached()) {
                List<Trajectory> batch = new ArrayList<>(b);
                while (batch.size() < b) {
                    threads.rethrowFailure("Impala");
                    Trajectory tr = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (tr != null) batch.add(tr);
                }
                update(batch, reportEvery, progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Impala: interrupted", e);
        } finally {
            stopping = true;
            threads.close();
        }
        return returns.result(steps, (System.nanoTime() - start) / 1e9);
    }

    /**
     * The same learner and actors in the calling thread, in a fixed order: the actors take turns
     * unrolling one trajectory each (continuing the turn across updates) until a batch is full,
     * then the learner updates. A seeded run repeats exactly, and so does one stopped at a
     * {@link #saveState saved state} and {@link #resume resumed}.
     */
    public TrainingResult trainInline(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        begin(window, stopReturn);
        inline = true;
        List<RolloutSource<Trajectory>> sources = localSources();
        while (steps < config.totalTimesteps() && !returns.reached()) {
            List<Trajectory> batch = new ArrayList<>(config.batchTrajectories());
            while (batch.size() < config.batchTrajectories()) {
                try {
                    batch.add(sources.get(nextActor).next(snapshot));
                } catch (java.io.IOException | InterruptedException e) {
                    throw new IllegalStateException("Impala: a local actor cannot fail this way", e); // local sources do no I/O and never wait
                }
                nextActor = (nextActor + 1) % sources.size();
            }
            update(batch, reportEvery, progress);
        }
        return returns.result(steps, (System.nanoTime() - start) / 1e9);
    }

    /** Starts (or, after {@link #resume}, continues) the books of a training call. */
    private void begin(int window, double stopReturn) {
        if (returns != null) throw new IllegalStateException("Impala: a trainer trains once; create a new one (or resume a saved state in a new one)");
        returns = new EpisodeReturns(window, stopReturn);
        returns.addAll(earlier);
        snapshot = WeightSnapshot.of(model, version);
        start = System.nanoTime();
    }

    /** The learner's side of one batch: staleness and episode books, one V-trace update, the broadcast, the counters and the report. */
    private void update(List<Trajectory> batch, int reportEvery, Consumer<Progress> progress) {
        for (Trajectory tr : batch) {
            long stale = version - tr.policyVersion();
            stalenessSum += stale;
            maxStaleness = Math.max(maxStaleness, stale);
            perActor[tr.actor()]++;
            actorVersions[tr.actor()] = Math.max(actorVersions[tr.actor()], tr.policyVersion());
            steps += config.unrollLength();
            for (double r : tr.finishedReturns()) returns.add(r, steps);
        }
        learn(batch);
        version++;
        snapshot = WeightSnapshot.of(model, version);
        double seconds = (System.nanoTime() - start) / 1e9;
        long trajectories = version * config.batchTrajectories();
        counters = new Counters(steps, version, seconds, stalenessSum / trajectories, maxStaleness, perActor.clone(), actorVersions.clone());
        if (progress != null && (steps - lastReport >= reportEvery || returns.reached())) {
            lastReport = steps;
            progress.accept(new Progress(steps, returns.episodes(), returns.recentMean(), steps / seconds, counters));
        }
    }

    /**
     * Actor k's seed: its environment copy and its action sampling. A run resumed without its
     * actors' states (saved while they ran in threads or processes) seeds them anew from the step
     * it resumed at, so they do not replay the episodes they began with.
     */
    private long actorSeed(int k) {
        long base = seed + 1_000L * (k + 1);
        return resumed && savedActors == null ? base ^ (steps * 0x9E3779B97F4A7C15L) : base;
    }

    private List<RolloutSource<Trajectory>> localSources() {
        List<Actor> built = new ArrayList<>();
        for (int k = 0; k < config.numActors(); k++) {
            ActorCritic copy = new ActorCritic(observationSize, numActions, config.hidden());
            Actor actor = new Actor(k, envFactory.get(), copy, config, actorSeed(k));
            if (savedActors != null) actor.restore(savedActors.get(k));
            built.add(actor);
        }
        actors = built;
        return built.stream().map(RolloutSource::<Trajectory>local).toList();
    }

    private List<RolloutSource<Trajectory>> startProcesses() {
        savedActors = null; // states of in-process actors cannot be given to processes: they start afresh (actorSeed)
        return WorkerProcesses.startFor("Impala", ImpalaWorkerMain.class, config.numActors(), this::actorSeed, envId, config, TrajectoryCodec.INSTANCE);
    }

    /** What a saved state must match to resume this run: algorithm, environment, seed and settings. */
    private Map<String, String> identity() {
        return Map.of("rl.algorithm", "impala", "rl.env", envId, "rl.seed", Long.toString(seed), "rl.config", TrainingState.settings(config));
    }

    /**
     * Saves the learner's state (network, Adam, updates, steps, staleness books, episode history)
     * atomically, and, for an {@link #trainInline inline} run (from its progress callback or after
     * it), every actor's state too, so that the resumed inline run continues bit for bit. Actors running in
     * threads or processes are mid-unroll when the learner reports, so their state is not saved:
     * such a run resumes with the learner exact and the actors starting new episodes.
     */
    public void saveState(Path file) throws IOException {
        if (returns == null) throw new IllegalStateException("Impala: nothing to save before training starts");
        boolean withActors = inline;
        StateCodec.Writer w = new StateCodec.Writer();
        w.putLong(version).putLong(steps).putLong(lastReport).putLong(maxStaleness).putDouble(stalenessSum).putLongs(perActor).putLongs(actorVersions)
                .putLong(nextActor).putEpisodes(returns);
        w.putLong(withActors ? actors.size() : 0);
        if (withActors) for (Actor a : actors) a.state().write(w);
        TrainingState.save(file, model, optimizer, steps, identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote (by a run with the same environment, seed and settings); a training call then continues it. */
    public void resume(Path file) throws IOException {
        var c = TrainingState.load(file, model, optimizer, identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        version = r.getLong();
        steps = r.getLong();
        lastReport = r.getLong();
        maxStaleness = r.getLong();
        stalenessSum = r.getDouble();
        perActor = r.getLongs();
        actorVersions = r.getLongs();
        nextActor = (int) r.getLong();
        earlier = r.getEpisodes();
        int savedCount = (int) r.getLong();
        if (savedCount > 0) {
            if (savedCount != config.numActors()) throw new IllegalArgumentException(file + ": states of " + savedCount + " actors, this run has " + config.numActors());
            savedActors = new ArrayList<>();
            for (int k = 0; k < savedCount; k++) savedActors.add(Actor.State.read(r));
        }
        if (perActor.length != config.numActors() || actorVersions.length != config.numActors()) {
            throw new IllegalArgumentException(file + ": books for " + perActor.length + " actors, this run has " + config.numActors());
        }
        resumed = true;
    }

    /** Environment steps the learner has consumed (a resumed run starts from its saved count). */
    public long steps() {
        return steps;
    }

    /** One Adam step on the V-trace losses of a batch of trajectories. */
    private void learn(List<Trajectory> batch) {
        int t = config.unrollLength(), n = batch.size();
        // Rows ordered trajectory-major: trajectory i's step s is row i·(T+1) + s.
        float[] obs = new float[n * (t + 1) * observationSize];
        long[] actions = new long[n * t];
        int[] actRows = new int[n * t];
        for (int i = 0; i < n; i++) {
            Trajectory tr = batch.get(i);
            System.arraycopy(tr.observations(), 0, obs, i * (t + 1) * observationSize, (t + 1) * observationSize);
            for (int s = 0; s < t; s++) {
                actions[i * t + s] = tr.actions()[s];
                actRows[i * t + s] = i * (t + 1) + s;
            }
        }
        Tensor all = Tensor.of(obs, n * (t + 1), observationSize);
        Tensor x = all.indexSelect(0, Tensor.of(toLongs(actRows), actRows.length));
        Tensor logProbs = model.logits(x).logSoftmax(1);
        Tensor logPi = logProbs.gather(1, Tensor.of(actions, n * t, 1)).squeeze(1);
        Tensor entropy = logProbs.exp().mul(logProbs).sum(1, false).neg().mean();
        Tensor values = model.value(x);
        double[] logPiD = logPi.toDoubleArray(), valuesD = values.toDoubleArray();
        double[] bootstrapD;
        try (var _ = Sinter.noGrad()) {
            long[] lastRows = new long[n];
            for (int i = 0; i < n; i++) lastRows[i] = (long) i * (t + 1) + t;
            bootstrapD = model.value(all.indexSelect(0, Tensor.of(lastRows, n))).toDoubleArray();
        }
        double[][] logRhos = new double[t][n], discounts = new double[t][n], rewards = new double[t][n], v = new double[t][n];
        for (int i = 0; i < n; i++) {
            Trajectory tr = batch.get(i);
            for (int s = 0; s < t; s++) {
                logRhos[s][i] = logPiD[i * t + s] - tr.behaviourLogProbs()[s];
                discounts[s][i] = tr.dones()[s] ? 0 : config.gamma();
                rewards[s][i] = tr.rewards()[s];
                v[s][i] = valuesD[i * t + s];
            }
        }
        VTrace.Result vt = VTrace.compute(logRhos, discounts, rewards, v, bootstrapD, config.rhoBar(), config.cBar(), config.rhoBar(), 1.0);
        float[] vs = new float[n * t], adv = new float[n * t];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                vs[i * t + s] = (float) vt.vs()[s][i];
                adv[i * t + s] = (float) vt.pgAdvantages()[s][i];
            }
        }
        Tensor pgLoss = Tensor.of(adv, n * t).mul(logPi).mean().neg();
        Tensor baseline = values.sub(Tensor.of(vs, n * t)).square().mean().mul(0.5);
        Tensor loss = pgLoss.add(baseline.mul(config.vfCoef())).sub(entropy.mul(config.entCoef()));
        optimizer.zeroGrad();
        loss.backward();
        ClipGrad.clipGradNorm_(model.parameters(), config.maxGradNorm());
        optimizer.step();
    }

    private static long[] toLongs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }
}
