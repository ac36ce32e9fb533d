package org.sinter.rl.apex;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.nn.Module;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.rl.DiscreteSpaces;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.Observations;
import org.sinter.rl.Snapshottable;
import org.sinter.rl.StateCodec;
import org.sinter.rl.TrainingState;
import org.sinter.rl.StepResult;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.WeightSnapshot;
import org.sinter.rl.dqn.DqnLoss;
import org.sinter.rl.dqn.DuelingQNetwork;
import org.sinter.rl.remote.Placement;
import org.sinter.rl.remote.RolloutSource;
import org.sinter.rl.remote.RolloutThreads;
import org.sinter.rl.remote.WorkerProcesses;

/**
 * Ape-X DQN (Horgan et al. 2018): {@code numActors} {@link ApexActor}s, each with its own ε and
 * network copy, score their n-step experience and send it to a sharded prioritized
 * {@link ReplayServer}; one learner samples it, takes double-DQN steps on the importance-weighted
 * loss of a dueling network, writes the new priorities back, copies its target network every
 * {@code targetUpdateEvery} updates and broadcasts its weights every {@code publishEvery}.
 *
 * <p>{@link #train} runs the actors in threads, or each in its own process talking to the learner
 * over a loopback socket ({@link Placement#PROCESSES}: the same loop, through {@link RolloutThreads}
 * and {@link RolloutSource}), and the learner in the calling thread, as a system:
 * the replay ratio is held near one update per {@code stepsPerUpdate} environment steps (actors
 * wait when they lead by more than {@code maxLead} updates, the learner waits for data), so the
 * result does not depend on how many cores there are; the interleaving is the scheduler's, so runs
 * do not repeat exactly. {@link #trainInline} drives the same components in one thread in a fixed
 * order (each actor one chunk in turn, then the updates the ratio allows), and repeats exactly.
 *
 * <p>The stop criterion and the reported mean return are greedy: every {@code evalEvery}
 * environment steps the learner plays {@code evalEpisodes} episodes with ε = 0 on its own
 * environment copy (as the paper evaluates), since the actors' returns mix ε from 0.4 to 0.0007.
 * The actors' own (behaviour) returns are in the {@link Counters}.
 */
public final class Apex implements AutoCloseable {
    /** A progress report: environment steps, evaluation episodes, their recent mean, throughput, and the counters. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond, Counters counters) implements org.sinter.rl.TrainingProgress {}

    /**
     * The system's counters: env steps and learner updates and their rates; the staleness of the
     * behaviour policy (learner updates between the weights an actor acted with and the update in
     * progress when its chunk reached the replay), mean and max over chunks; the mean age of sampled
     * rows (learner updates since the weights that generated them, which grows with the replay's
     * size); and per actor its ε, env steps, mean behaviour return over its last 20 episodes and the
     * newest weights (learner update) it has acted with, which shows the broadcast reaching it.
     */
    public record Counters(long envSteps, long updates, double seconds, double meanStaleness, long maxStaleness, double meanSampleAge,
                           double[] epsilons, long[] stepsPerActor, double[] behaviourReturns, long[] policyVersionPerActor, int replaySize) {
        public double envStepsPerSecond() {
            return envSteps / seconds;
        }

        public double updatesPerSecond() {
            return updates / seconds;
        }
    }

    /** The ε of the priorities |δ| + ε. */
    private static final double PRIORITY_EPSILON = 1e-6;
    /** How long the learner and actors wait for a replay process to answer one request. */
    private static final java.time.Duration REPLAY_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final ApexConfig config;
    private final Supplier<? extends Env<double[], Integer>> envFactory;
    private final String envId;
    private final Module online, target;
    private final Adam optimizer;
    private final ApexReplay replay;
    private final Generator generator;
    private RandomGenerator random; // the generator's stream; a restored state replaces it
    private final long seed;
    private final int observationSize, numActions;
    private final Env<double[], Integer> evalEnv;
    private final AtomicLong envSteps = new AtomicLong();
    private final Object pace = new Object();
    private volatile WeightSnapshot snapshot;
    private volatile boolean stopping;
    private volatile long updates;
    private final Object staleness = new Object();
    private double stalenessSum, ageSum;
    private long stalenessChunks, maxStaleness, ageRows;
    private List<ApexActor> actors = List.of();
    private boolean started, inline, resumed, actorsRestored;
    private EpisodeReturns evaluations;
    private EpisodeReturns.History earlier = EpisodeReturns.History.NONE;
    private volatile boolean replayWarm;
    private long[] actorSteps, actorVersions;
    private List<List<Double>> actorReturns;
    private Counters counters;
    private long start, nextEval, lastReport;

    /** Ape-X with its replay in the learner's process. */
    public Apex(Supplier<? extends Env<double[], Integer>> envFactory, ApexConfig config, long seed) {
        this(envFactory, config, seed, Placement.THREADS);
    }

    /**
     * Ape-X with its replay in the learner's process ({@link Placement#THREADS}: shared by the
     * learner and the actor threads) or in a {@link ReplayServerMain} process of its own
     * ({@link Placement#PROCESSES}: reached over a loopback socket, the same draws for the same
     * seed); {@link #close} ends that process.
     */
    public Apex(Supplier<? extends Env<double[], Integer>> envFactory, ApexConfig config, long seed, Placement replayPlacement) {
        Env<double[], Integer> probe = envFactory.get();
        DiscreteSpaces spaces = DiscreteSpaces.of("Apex", probe);
        this.envFactory = envFactory;
        this.envId = probe.id();
        this.config = config;
        this.seed = seed;
        this.observationSize = spaces.observationSize();
        this.numActions = spaces.numActions();
        this.evalEnv = probe;
        Sinter.manualSeed(seed);
        this.online = new DuelingQNetwork(observationSize, numActions, config.hidden());
        this.target = new DuelingQNetwork(observationSize, numActions, config.hidden());
        target.loadStateDict(online.stateDict(), true);
        this.optimizer = new Adam(online.parameters(), Adam.options().lr(config.learningRate()).eps(1.5e-4));
        this.replay = replayPlacement == Placement.THREADS
                ? new ReplayServer(config.shards(), config.bufferSize(), observationSize, config.priorityAlpha(), PRIORITY_EPSILON)
                : RemoteReplay.startProcess(config.shards(), config.bufferSize(), observationSize, config.priorityAlpha(), PRIORITY_EPSILON, REPLAY_TIMEOUT);
        this.generator = new Generator(seed ^ 0x1EA4E4L);
        this.random = generator.random();
        this.actorSteps = new long[config.numActors()];
        this.actorVersions = new long[config.numActors()];
        this.actorReturns = new ArrayList<>();
        for (int k = 0; k < config.numActors(); k++) actorReturns.add(new ArrayList<>());
        this.snapshot = WeightSnapshot.of(online, 0);
        this.nextEval = config.evalEvery();
    }

    /** The learner's online network. */
    public Module qNetwork() {
        return online;
    }

    public ApexReplay replay() {
        return replay;
    }

    /** Ends the replay's process when it has one. */
    @Override
    public void close() {
        replay.close();
    }

    /** The counters at the end of the last training call. */
    public Counters counters() {
        return counters;
    }

    /**
     * Actor k's seed: its environment copy and its ε draws. A run resumed without its actors'
     * states (saved while they ran in threads or processes) seeds them anew from the step it
     * resumed at, so they do not replay the episodes they began with.
     */
    private long actorSeed(int k) {
        long base = seed + 1_000L * (k + 1);
        return resumed && !actorsRestored ? base ^ (envSteps.get() * 0x9E3779B97F4A7C15L) : base;
    }

    private List<ApexActor> newActors() {
        List<ApexActor> list = new ArrayList<>();
        for (int k = 0; k < config.numActors(); k++) {
            Module copy = new DuelingQNetwork(observationSize, numActions, config.hidden());
            list.add(new ApexActor(k, envFactory.get(), copy, observationSize, numActions, config, actorSeed(k)));
        }
        return list;
    }

    /** Actor threads, the learner in the calling thread: {@link #train(Placement, double, int, int, Consumer)} with threads. */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        return train(Placement.THREADS, stopReturn, window, reportEvery, progress);
    }

    /**
     * Actors in threads or processes ({@code placement}), the learner in the calling thread; stops at
     * the budget or when the greedy evaluations average {@code stopReturn}. Processes build their
     * environment by id, so the environment must be one of {@link Envs#IDS}.
     */
    public TrainingResult train(Placement placement, double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        EpisodeReturns evaluations = begin(placement == Placement.THREADS, window, stopReturn);
        List<RolloutSource<ApexActor.Chunk>> sources = placement == Placement.THREADS
                ? actors.stream().map(RolloutSource::local).toList() : startProcesses();
        RolloutThreads<ApexActor.Chunk> threads = new RolloutThreads<>("apex-actor", sources, () -> snapshot, () -> stopping,
                this::awaitPace, this::send, this::wakeAll);
        try {
            while (!evaluations.reached()) {
                threads.rethrowFailure("Apex");
                long steps = envSteps.get();
                if (steps >= config.totalTimesteps()) break;
                if (updates < allowedUpdates(steps)) {
                    learn();
                } else {
                    synchronized (pace) {
                        pace.notifyAll();
                        pace.wait(5);
                    }
                }
                steps = envSteps.get();
                evaluateAndReport(evaluations, steps, reportEvery, progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Apex: interrupted", e);
        } finally {
            stopping = true;
            wakeAll();
            threads.close();
        }
        counters = currentCounters();
        return evaluations.result(envSteps.get(), (System.nanoTime() - start) / 1e9);
    }

    private List<RolloutSource<ApexActor.Chunk>> startProcesses() {
        return WorkerProcesses.startFor("Apex", ApexWorkerMain.class, config.numActors(), this::actorSeed, envId, config, ChunkCodec.INSTANCE);
    }

    /** What a saved state must match to resume this run: algorithm, environment, seed and settings. */
    private Map<String, String> identity() {
        return Map.of("rl.algorithm", "apex", "rl.env", envId, "rl.seed", Long.toString(seed), "rl.config", TrainingState.settings(config));
    }

    /** The learner's networks as the state file names them; the published weights are a network of their own. */
    private Map<String, Module> learnerNetworks(Module published) {
        Map<String, Module> m = new LinkedHashMap<>();
        m.put("online", online);
        m.put("target", target);
        m.put("published", published);
        return m;
    }

    /**
     * Saves the run atomically: the online, target and last published networks, Adam, the learner's
     * stream, the replay (every shard's rows, priorities and versions), the books (steps, updates,
     * evaluation schedule and history, staleness, per-actor counts and returns) and the evaluation
     * environment; for an {@link #trainInline inline} run also every actor (network, stream,
     * environment, pending n-step starts), so that the resumed inline run continues bit for bit.
     * Actors in threads or processes are mid-chunk when the learner reports, so they are not saved
     * (a resumed run starts them on new episodes); a replay in another process cannot be saved.
     */
    public void saveState(Path file) throws IOException {
        if (evaluations == null) throw new IllegalStateException("Apex: nothing to save before training starts");
        if (!(replay instanceof ReplayServer server)) {
            throw new IllegalStateException("Apex: the replay is in another process, whose rows cannot be saved here, so the run cannot be resumed");
        }
        Module published = new DuelingQNetwork(observationSize, numActions, config.hidden());
        published.loadStateDict(snapshot.state(), true);
        Map<String, Module> networks = learnerNetworks(published);
        StateCodec.Writer w = new StateCodec.Writer();
        w.putLongs(generator.state()).putLong(updates).putLong(envSteps.get()).putLong(snapshot.version()).putLong(nextEval).putLong(lastReport)
                .putLong(replayWarm ? 1 : 0).putLongs(Snapshottable.of(evalEnv, "Apex evaluation environment (" + envId + ")"));
        synchronized (staleness) {
            w.putDouble(stalenessSum).putDouble(ageSum).putLong(stalenessChunks).putLong(maxStaleness).putLong(ageRows).putLongs(actorSteps).putLongs(actorVersions);
            for (List<Double> r : actorReturns) w.putDoubles(r.stream().mapToDouble(Double::doubleValue).toArray());
        }
        w.putEpisodes(evaluations);
        server.saveState(w);
        w.putLong(inline ? actors.size() : 0);
        if (inline) {
            for (int k = 0; k < actors.size(); k++) {
                actors.get(k).saveState(w);
                networks.put("actor" + k, actors.get(k).network());
            }
        }
        TrainingState.save(file, networks, Map.of("adam", optimizer), envSteps.get(), identity(), w.encode());
    }

    /** Restores a state {@link #saveState} wrote (by a run with the same environment, seed and settings); a training call then continues it. */
    public void resume(Path file) throws IOException {
        if (!(replay instanceof ReplayServer server)) throw new IllegalStateException("Apex: a replay in another process cannot be restored; resume with the replay in process");
        Module published = new DuelingQNetwork(observationSize, numActions, config.hidden());
        var c = TrainingState.load(file, learnerNetworks(published), Map.of("adam", optimizer), identity());
        StateCodec.Reader r = new StateCodec.Reader(c.extra().get(TrainingState.STATE), file.toString());
        generator.setState(r.getLongs());
        random = generator.random();
        updates = r.getLong();
        envSteps.set(r.getLong());
        snapshot = WeightSnapshot.of(published, r.getLong());
        nextEval = r.getLong();
        lastReport = r.getLong();
        replayWarm = r.getLong() == 1;
        Snapshottable.restore(evalEnv, r.getLongs(), "Apex evaluation environment (" + envId + ")");
        stalenessSum = r.getDouble();
        ageSum = r.getDouble();
        stalenessChunks = r.getLong();
        maxStaleness = r.getLong();
        ageRows = r.getLong();
        actorSteps = r.getLongs();
        actorVersions = r.getLongs();
        if (actorSteps.length != config.numActors() || actorVersions.length != config.numActors()) {
            throw new IllegalArgumentException(file + ": books for " + actorSteps.length + " actors, this run has " + config.numActors());
        }
        for (int k = 0; k < config.numActors(); k++) actorReturns.set(k, new ArrayList<>(java.util.Arrays.stream(r.getDoubles()).boxed().toList()));
        earlier = r.getEpisodes();
        server.restoreState(r);
        resumed = true;
        int saved = (int) r.getLong();
        if (saved > 0) {
            if (saved != config.numActors()) throw new IllegalArgumentException(file + ": states of " + saved + " actors, this run has " + config.numActors());
            actorsRestored = true;
            actors = newActors();
            Map<String, org.sinter.Tensor> all = c.modelState();
            for (int k = 0; k < saved; k++) {
                ApexActor actor = actors.get(k);
                actor.restoreState(r);
                String prefix = "actor" + k + "/";
                Map<String, org.sinter.Tensor> own = new LinkedHashMap<>();
                all.forEach((name, t) -> {
                    if (name.startsWith(prefix)) own.put(name.substring(prefix.length()), t);
                });
                actor.network().loadStateDict(own, true);
            }
        }
    }

    /** Environment steps taken so far (a resumed run starts from its saved count). */
    public long steps() {
        return envSteps.get();
    }

    /** An actor's turn: it waits while the actors lead the learner by more than {@code maxLead} updates. */
    private void awaitPace() throws InterruptedException {
        synchronized (pace) {
            while (!stopping && envSteps.get() - config.learningStarts() > (updates + config.maxLead()) * (long) config.stepsPerUpdate()) {
                pace.wait(5);
            }
        }
    }

    private void wakeAll() {
        synchronized (pace) {
            pace.notifyAll();
        }
    }

    /**
     * The same components in one thread, in a fixed order: each actor collects one chunk in turn,
     * then the learner takes the updates the replay ratio allows, evaluating every {@code evalEvery}
     * steps. A seeded run repeats exactly.
     */
    public TrainingResult trainInline(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        EpisodeReturns evaluations = begin(true, window, stopReturn);
        inline = true;
        List<RolloutSource<ApexActor.Chunk>> sources = actors.stream().map(RolloutSource::local).toList();
        while (!evaluations.reached() && envSteps.get() < config.totalTimesteps()) {
            for (RolloutSource<ApexActor.Chunk> source : sources) {
                try {
                    send(source.next(snapshot));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("Apex: a local actor cannot fail this way", e); // local sources do no I/O and never wait
                }
            }
            long steps = envSteps.get();
            while (updates < allowedUpdates(steps)) learn();
            evaluateAndReport(evaluations, steps, reportEvery, progress);
        }
        counters = currentCounters();
        return evaluations.result(envSteps.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Evaluates greedily every {@code evalEvery} steps and reports every {@code reportEvery} (and when the bar is reached). */
    private void evaluateAndReport(EpisodeReturns evaluations, long steps, int reportEvery, Consumer<Progress> progress) {
        if (steps >= nextEval) {
            nextEval = (steps / config.evalEvery() + 1) * config.evalEvery();
            evaluate(evaluations, steps);
        }
        if (progress != null && (steps - lastReport >= reportEvery || evaluations.reached())) {
            lastReport = steps;
            progress.accept(progress(evaluations, steps));
        }
    }

    /** Starts (or, after {@link #resume}, continues) a training call; its greedy evaluations carry the saved ones. */
    private EpisodeReturns begin(boolean localActors, int window, double stopReturn) {
        if (started) throw new IllegalStateException("Apex: a trainer trains once; create a new one (or resume a saved state in a new one)");
        started = true;
        if (localActors && actors.isEmpty()) actors = newActors(); // resume builds and restores them itself
        evaluations = new EpisodeReturns(window, stopReturn);
        evaluations.addAll(earlier);
        start = System.nanoTime();
        return evaluations;
    }

    private void send(ApexActor.Chunk chunk) {
        long lag = updates - chunk.version();
        synchronized (staleness) {
            stalenessSum += lag;
            stalenessChunks++;
            maxStaleness = Math.max(maxStaleness, lag);
            actorSteps[chunk.actor()] += chunk.steps();
            actorVersions[chunk.actor()] = Math.max(actorVersions[chunk.actor()], chunk.version());
            actorReturns.get(chunk.actor()).addAll(chunk.finishedReturns());
        }
        if (chunk.rows().size() > 0) replay.add(chunk.rows(), chunk.tdErrors(), chunk.version());
        envSteps.addAndGet(chunk.steps());
    }

    /** Updates the replay ratio allows after {@code steps} environment steps (none before {@code learningStarts}). */
    private long allowedUpdates(long steps) {
        if (!replayWarm) {
            // The replay never shrinks, so once it holds learningStarts rows it is asked no more (a remote one answers over a socket).
            if (replay.size() < config.learningStarts()) return 0;
            replayWarm = true;
        }
        return Math.max(0, (steps - config.learningStarts()) / config.stepsPerUpdate()) + 1;
    }

    /** One learner step: sample, double-DQN loss weighted by importance, Adam, new priorities, target copy and broadcast on schedule. */
    private void learn() {
        ReplayServer.Sample s = replay.sample(config.batchSize(), random, config.priorityBeta());
        long now = updates;
        for (long v : s.versions()) ageSum += now - v;
        ageRows += s.versions().length;
        DqnLoss.Result r = DqnLoss.of(online, target, s.batch(), observationSize, config.gamma(), true);
        optimizer.zeroGrad();
        r.loss().backward();
        ClipGrad.clipGradNorm_(online.parameters(), 10.0);
        optimizer.step();
        replay.updatePriorities(s, r.tdErrors());
        long done = now + 1;
        if (done % config.targetUpdateEvery() == 0) target.loadStateDict(online.stateDict(), true);
        if (done % config.publishEvery() == 0) snapshot = WeightSnapshot.of(online, done);
        updates = done;
    }

    /** {@code evalEpisodes} greedy episodes of the online network, each recorded at {@code steps}. */
    private void evaluate(EpisodeReturns evaluations, long steps) {
        try (var _ = Sinter.noGrad()) {
            for (int e = 0; e < config.evalEpisodes(); e++) {
                double[] obs = (evaluations.episodes() == 0 && e == 0 ? evalEnv.reset(seed + 99) : evalEnv.reset()).observation();
                double total = 0;
                while (true) {
                    float[] q = online.forward(Observations.row(obs, observationSize)).toFloatArray();
                    int best = 0;
                    for (int a = 1; a < q.length; a++) if (q[a] > q[best]) best = a;
                    StepResult<double[]> r = evalEnv.step(best);
                    total += r.reward();
                    if (r.done()) break;
                    obs = r.observation();
                }
                evaluations.add(total, steps);
                if (evaluations.reached()) return;
            }
        }
    }

    private Progress progress(EpisodeReturns evaluations, long steps) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Progress(steps, evaluations.episodes(), evaluations.recentMean(), steps / seconds, currentCounters());
    }

    private Counters currentCounters() {
        int n = config.numActors();
        double[] eps = new double[n], behaviour = new double[n];
        synchronized (staleness) {
            for (int k = 0; k < n; k++) {
                eps[k] = config.epsilon(k);
                List<Double> r = actorReturns.get(k);
                behaviour[k] = r.isEmpty() ? Double.NaN : r.subList(Math.max(0, r.size() - 20), r.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            }
            long[] steps = actorSteps.clone();
            return new Counters(envSteps.get(), updates, (System.nanoTime() - start) / 1e9, stalenessChunks == 0 ? 0 : stalenessSum / stalenessChunks,
                    maxStaleness, ageRows == 0 ? 0 : ageSum / ageRows, eps, steps, behaviour, actorVersions.clone(), replay.size());
        }
    }
}
