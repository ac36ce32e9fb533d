package org.sinter.rl.apex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.optim.Adam;
import org.sinter.rl.Env;
import org.sinter.rl.EpisodeReturns;
import org.sinter.rl.Observations;
import org.sinter.rl.StepResult;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.dqn.DqnLoss;
import org.sinter.rl.dqn.DuelingQNetwork;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

/**
 * Ape-X DQN (Horgan et al. 2018): {@code numActors} {@link ApexActor}s, each with its own ε and
 * network copy, score their n-step experience and send it to a sharded prioritized
 * {@link ReplayServer}; one learner samples it, takes double-DQN steps on the importance-weighted
 * loss of a dueling network, writes the new priorities back, copies its target network every
 * {@code targetUpdateEvery} updates and broadcasts its weights every {@code publishEvery}.
 *
 * <p>{@link #train} runs the actors in threads and the learner in the calling thread, as a system:
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
public final class Apex {
    /** A progress report: environment steps, evaluation episodes, their recent mean, throughput, and the counters. */
    public record Progress(long steps, int episodes, double meanReturn, double stepsPerSecond, Counters counters) {}

    /**
     * The system's counters: env steps and learner updates and their rates; the staleness of the
     * behaviour policy (learner updates between the weights an actor acted with and the update in
     * progress when its chunk reached the replay), mean and max over chunks; the mean age of sampled
     * rows (learner updates since the weights that generated them, which grows with the replay's
     * size); and per actor its ε, env steps and mean behaviour return over its last 20 episodes.
     */
    public record Counters(long envSteps, long updates, double seconds, double meanStaleness, long maxStaleness, double meanSampleAge,
                           double[] epsilons, long[] stepsPerActor, double[] behaviourReturns, int replaySize) {
        public double envStepsPerSecond() {
            return envSteps / seconds;
        }

        public double updatesPerSecond() {
            return updates / seconds;
        }
    }

    private final ApexConfig config;
    private final Supplier<? extends Env<double[], Integer>> envFactory;
    private final Module online, target;
    private final Adam optimizer;
    private final ReplayServer replay;
    private final RandomGenerator random;
    private final long seed;
    private final int observationSize, numActions;
    private final Env<double[], Integer> evalEnv;
    private final AtomicLong envSteps = new AtomicLong();
    private final Object pace = new Object();
    private volatile ApexActor.Snapshot snapshot;
    private volatile boolean stopping;
    private volatile long updates;
    private final Object staleness = new Object();
    private double stalenessSum, ageSum;
    private long stalenessChunks, maxStaleness, ageRows;
    private List<ApexActor> actors = List.of();
    private Counters counters;
    private long start;

    public Apex(Supplier<? extends Env<double[], Integer>> envFactory, ApexConfig config, long seed) {
        Env<double[], Integer> probe = envFactory.get();
        if (!(probe.observationSpace() instanceof Box box) || !(probe.actionSpace() instanceof Discrete actions)) {
            throw new IllegalArgumentException("Apex: " + probe.id() + " needs a Box observation space and a Discrete action space, has "
                    + probe.observationSpace() + " and " + probe.actionSpace());
        }
        this.envFactory = envFactory;
        this.config = config;
        this.seed = seed;
        this.observationSize = box.size();
        this.numActions = actions.n();
        this.evalEnv = probe;
        Sinter.manualSeed(seed);
        this.online = new DuelingQNetwork(observationSize, numActions, config.hidden());
        this.target = new DuelingQNetwork(observationSize, numActions, config.hidden());
        target.loadStateDict(online.stateDict(), true);
        this.optimizer = new Adam(online.parameters(), Adam.options().lr(config.learningRate()).eps(1.5e-4));
        this.replay = new ReplayServer(config.shards(), config.bufferSize(), observationSize, config.priorityAlpha(), 1e-6);
        this.random = new Generator(seed ^ 0x1EA4E4L).random();
    }

    /** The learner's online network. */
    public Module qNetwork() {
        return online;
    }

    public ReplayServer replay() {
        return replay;
    }

    /** The counters at the end of the last training call. */
    public Counters counters() {
        return counters;
    }

    private List<ApexActor> newActors() {
        List<ApexActor> list = new ArrayList<>();
        for (int k = 0; k < config.numActors(); k++) {
            Module copy = new DuelingQNetwork(observationSize, numActions, config.hidden());
            list.add(new ApexActor(k, envFactory.get(), copy, observationSize, numActions, config, seed + 1_000L * (k + 1)));
        }
        return list;
    }

    /** Actors in threads, the learner in the calling thread; stops at the budget or when the greedy evaluations average {@code stopReturn}. */
    public TrainingResult train(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        begin();
        EpisodeReturns evaluations = new EpisodeReturns(window, stopReturn);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (ApexActor actor : actors) {
            Thread th = new Thread(() -> actorLoop(actor), "apex-actor-" + actors.indexOf(actor));
            th.setDaemon(true);
            th.setUncaughtExceptionHandler((t, e) -> {
                failures.add(e);
                synchronized (pace) {
                    pace.notifyAll();
                }
            });
            threads.add(th);
        }
        long nextEval = config.evalEvery(), lastReport = 0;
        threads.forEach(Thread::start);
        try {
            while (!evaluations.reached()) {
                if (!failures.isEmpty()) throw new IllegalStateException("Apex: an actor failed: " + failures.getFirst(), failures.getFirst());
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
                if (steps >= nextEval) {
                    nextEval = (steps / config.evalEvery() + 1) * config.evalEvery();
                    evaluate(evaluations, steps);
                }
                if (progress != null && (steps - lastReport >= reportEvery || evaluations.reached())) {
                    lastReport = steps;
                    progress.accept(progress(evaluations, steps));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Apex: interrupted", e);
        } finally {
            stopping = true;
            synchronized (pace) {
                pace.notifyAll();
            }
            for (Thread th : threads) {
                try {
                    th.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        counters = currentCounters();
        return evaluations.result(envSteps.get(), (System.nanoTime() - start) / 1e9);
    }

    private void actorLoop(ApexActor actor) {
        try {
            while (!stopping) {
                synchronized (pace) {
                    while (!stopping && envSteps.get() - config.learningStarts() > (updates + config.maxLead()) * (long) config.stepsPerUpdate()) {
                        pace.wait(5);
                    }
                }
                if (stopping) return;
                actor.maybeSync(snapshot);
                send(actor.collect());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The same components in one thread, in a fixed order: each actor collects one chunk in turn,
     * then the learner takes the updates the replay ratio allows, evaluating every {@code evalEvery}
     * steps. A seeded run repeats exactly.
     */
    public TrainingResult trainInline(double stopReturn, int window, int reportEvery, Consumer<Progress> progress) {
        begin();
        EpisodeReturns evaluations = new EpisodeReturns(window, stopReturn);
        long nextEval = config.evalEvery(), lastReport = 0;
        while (!evaluations.reached() && envSteps.get() < config.totalTimesteps()) {
            for (ApexActor actor : actors) {
                actor.maybeSync(snapshot);
                send(actor.collect());
            }
            long steps = envSteps.get();
            while (updates < allowedUpdates(steps)) learn();
            if (steps >= nextEval) {
                nextEval = (steps / config.evalEvery() + 1) * config.evalEvery();
                evaluate(evaluations, steps);
            }
            if (progress != null && (steps - lastReport >= reportEvery || evaluations.reached())) {
                lastReport = steps;
                progress.accept(progress(evaluations, steps));
            }
        }
        counters = currentCounters();
        return evaluations.result(envSteps.get(), (System.nanoTime() - start) / 1e9);
    }

    private void begin() {
        if (!actors.isEmpty()) throw new IllegalStateException("Apex: a trainer trains once; create a new one");
        actors = newActors();
        snapshot = new ApexActor.Snapshot(0, copyOfWeights());
        start = System.nanoTime();
    }

    private void send(ApexActor.Chunk chunk) {
        long lag = updates - chunk.version();
        synchronized (staleness) {
            stalenessSum += lag;
            stalenessChunks++;
            maxStaleness = Math.max(maxStaleness, lag);
        }
        if (chunk.rows().size() > 0) replay.add(chunk.rows(), chunk.tdErrors(), chunk.version());
        envSteps.addAndGet(chunk.steps());
    }

    /** Updates the replay ratio allows after {@code steps} environment steps (none before {@code learningStarts}). */
    private long allowedUpdates(long steps) {
        if (replay.size() < config.learningStarts()) return 0;
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
        if (done % config.publishEvery() == 0) snapshot = new ApexActor.Snapshot(done, copyOfWeights());
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
        int n = actors.size();
        double[] eps = new double[n], behaviour = new double[n];
        long[] steps = new long[n];
        for (int k = 0; k < n; k++) {
            eps[k] = actors.get(k).epsilon();
            steps[k] = actors.get(k).steps();
            behaviour[k] = actors.get(k).recentMeanReturn(20);
        }
        synchronized (staleness) {
            return new Counters(envSteps.get(), updates, (System.nanoTime() - start) / 1e9, stalenessChunks == 0 ? 0 : stalenessSum / stalenessChunks,
                    maxStaleness, ageRows == 0 ? 0 : ageSum / ageRows, eps, steps, behaviour, replay.size());
        }
    }

    private Map<String, Tensor> copyOfWeights() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        try (var _ = Sinter.noGrad()) {
            online.stateDict().forEach((k, w) -> copy.put(k, w.detach().clone()));
        }
        return copy;
    }
}
