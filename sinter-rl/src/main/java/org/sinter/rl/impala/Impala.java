package org.sinter.rl.impala;

import java.util.ArrayList;
import java.util.List;
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
import org.sinter.rl.TrainingResult;
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
 * interleaving of actors and learner is up to the scheduler, so a run does not repeat exactly.
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
        int t = config.unrollLength(), b = config.batchTrajectories();
        BlockingQueue<Trajectory> queue = new ArrayBlockingQueue<>(config.queueCapacity());
        long version = 0;
        snapshot = WeightSnapshot.of(model, 0);
        stopping = false;
        List<RolloutSource<Trajectory>> sources = placement == Placement.THREADS ? localActors() : startProcesses();
        long start = System.nanoTime(), steps = 0, lastReport = 0, maxStaleness = 0;
        double stalenessSum = 0;
        long[] perActor = new long[config.numActors()], actorVersions = new long[config.numActors()];
        EpisodeReturns returns = new EpisodeReturns(window, stopReturn);
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
                for (Trajectory tr : batch) {
                    long stale = version - tr.policyVersion();
                    stalenessSum += stale;
                    maxStaleness = Math.max(maxStaleness, stale);
                    perActor[tr.actor()]++;
                    actorVersions[tr.actor()] = Math.max(actorVersions[tr.actor()], tr.policyVersion());
                    steps += t;
                    for (double r : tr.finishedReturns()) returns.add(r, steps);
                }
                learn(batch);
                version++;
                snapshot = WeightSnapshot.of(model, version);
                double seconds = (System.nanoTime() - start) / 1e9;
                long trajectories = version * b;
                counters = new Counters(steps, version, seconds, stalenessSum / trajectories, maxStaleness, perActor.clone(), actorVersions.clone());
                if (progress != null && (steps - lastReport >= reportEvery || returns.reached())) {
                    lastReport = steps;
                    progress.accept(new Progress(steps, returns.episodes(), returns.recentMean(), steps / seconds, counters));
                }
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

    /** Actor k's seed: its environment copy and its action sampling. */
    private long actorSeed(int k) {
        return seed + 1_000L * (k + 1);
    }

    private List<RolloutSource<Trajectory>> localActors() {
        List<RolloutSource<Trajectory>> sources = new ArrayList<>();
        for (int k = 0; k < config.numActors(); k++) {
            ActorCritic copy = new ActorCritic(observationSize, numActions, config.hidden());
            sources.add(RolloutSource.local(new Actor(k, envFactory.get(), copy, config, actorSeed(k))));
        }
        return sources;
    }

    private List<RolloutSource<Trajectory>> startProcesses() {
        return WorkerProcesses.startFor("Impala", ImpalaWorkerMain.class, config.numActors(), this::actorSeed, envId, config, TrajectoryCodec.INSTANCE);
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
