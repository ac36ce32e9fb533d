package org.sinter.automl.manager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.sinter.automl.assessor.Assessor;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.fidelity.Job;
import org.sinter.automl.fidelity.MultiFidelityScheduler;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.Tuner;

/**
 * The experiment manager for trials that are separate processes (NNI's local training service):
 * each trial runs the experiment's command with its parameters in the environment
 * ({@link TrialProtocol}), at most {@code concurrency} at a time; report lines are read from its
 * output, intermediate results go to the {@link Assessor} (a rejected trial's process tree is
 * killed), a trial past {@code trialTimeout} is killed and counts as failed, and a failed trial is
 * relaunched with the same parameters up to {@code maxRetries} times. Everything is journaled in an
 * {@link ExperimentStore} before it is acted on, so running the manager again after it was killed
 * (even with SIGKILL) resumes the experiment: finished trials are replayed into the tuner and
 * assessor, trials cut off mid-run are relaunched with their recorded parameters, and new trials
 * fill up to {@code maxTrials}. The tuner is called from the manager's thread only and the assessor
 * under one lock.
 *
 * <p>A SIGKILLed manager cannot stop its trial processes; the next start kills those still alive
 * (by the pid and start time journaled for each attempt) before it relaunches their trials. A
 * normal exit or an exception kills them.
 */
public final class ProcessExperiment {
    private final ExperimentStore store;
    private final ExperimentSpec spec;
    private final SearchSpace space;
    private final Tuner tuner;
    private final Assessor assessor;
    private final int concurrency;
    private final Duration trialTimeout;
    private final TrialLimits limits;
    private final int maxRetries;
    private final Path workingDirectory;
    private final Path logDirectory;
    private final java.util.function.Consumer<TrialOutcome> listener;
    private final MultiFidelityScheduler scheduler;
    private final Path checkpointRoot;
    private final Object assessorLock = new Object();

    private ProcessExperiment(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.spec = Objects.requireNonNull(b.spec, "spec");
        this.space = SearchSpaceJson.parse(spec.searchSpaceJson());
        this.scheduler = b.scheduler;
        this.tuner = scheduler != null ? b.tuner : Objects.requireNonNull(b.tuner, "tuner");
        this.checkpointRoot = b.checkpointDirectory != null ? b.checkpointDirectory
                : store.file().toAbsolutePath().getParent().resolve(spec.name()).resolve("checkpoints");
        if (scheduler != null && b.assessor != null)
            throw new IllegalArgumentException("a multi-fidelity scheduler decides which trials continue itself: use no assessor with it");
        this.assessor = b.assessor;
        this.concurrency = b.concurrency;
        this.trialTimeout = b.trialTimeout;
        this.limits = b.limits;
        this.maxRetries = b.maxRetries;
        this.workingDirectory = b.workingDirectory;
        this.logDirectory = b.logDirectory;
        this.listener = b.listener;
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
        if (trialTimeout != null && (trialTimeout.isNegative() || trialTimeout.isZero()))
            throw new IllegalArgumentException("the trial timeout must be positive, got " + trialTimeout);
    }

    public static Builder builder() { return new Builder(); }

    public SearchSpace searchSpace() { return space; }

    /** Runs (or resumes) the experiment to its end and returns all its trials. */
    public List<StoredTrial> run() throws IOException, InterruptedException {
        if (scheduler != null) return runScheduled();
        store.register(spec);
        killOrphans();
        int maxTrials = store.experiment(spec.name()).orElseThrow().maxTrials();
        Direction direction = spec.direction();
        List<StoredTrial> journaled = store.trials(spec.name());
        List<Map<String, Object>> issued = new ArrayList<>();
        List<Tuner.Observation> completed = new ArrayList<>();
        Deque<StoredTrial> rerun = new ArrayDeque<>();
        int nextId = 0;
        // Finished trials in the order they ended, as the tuner and assessor first saw them.
        List<StoredTrial> byEnd = new ArrayList<>(journaled);
        byEnd.sort(java.util.Comparator.comparingLong(StoredTrial::endedMillis).thenComparingInt(StoredTrial::id));
        for (StoredTrial t : journaled) {
            issued.add(t.parameters());
            nextId = Math.max(nextId, t.id() + 1);
            if (!t.finished()) rerun.add(t);
        }
        for (StoredTrial t : byEnd) {
            if (!t.finished()) continue;
            if (!Double.isNaN(t.value())) completed.add(new Tuner.Observation(t.id(), t.parameters(), direction.toLoss(t.value())));
            if (assessor != null) {
                List<Double> losses = new ArrayList<>();
                for (double v : t.intermediates()) {
                    losses.add(direction.toLoss(v));
                    assessor.assessTrial(t.id(), List.copyOf(losses));
                }
                assessor.trialEnd(t.id(), "SUCCEEDED".equals(t.status()));
            }
        }
        tuner.restore(issued, completed);

        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon("sinter-hpo-trial"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("sinter-hpo-timeout"));
        var completion = new ExecutorCompletionService<TrialOutcome>(pool);
        int running = 0;
        boolean exhausted = false;
        try {
            while (true) {
                while (running < concurrency) {
                    int id;
                    Map<String, Object> parameters;
                    if (!rerun.isEmpty()) {
                        StoredTrial t = rerun.poll();
                        id = t.id();
                        parameters = t.parameters();
                    } else if (!exhausted && nextId < maxTrials) {
                        Optional<Map<String, Object>> proposal = tuner.generateParameters(nextId);
                        if (proposal.isEmpty()) { exhausted = true; break; }
                        id = nextId++;
                        parameters = proposal.get();
                    } else break;
                    int trialId = id;
                    Map<String, Object> trialParameters = parameters;
                    // Journaled here, on the manager's thread, so trial ids reach the journal in the order they were issued.
                    int attempt = store.startAttempt(spec.name(), trialId, trialParameters);
                    completion.submit(() -> runWithRetries(trialId, trialParameters, attempt, null, timer));
                    running++;
                }
                if (running == 0) break;
                TrialOutcome outcome = take(completion);
                running--;
                store.end(spec.name(), outcome.id(), outcome.status(), outcome.value(), outcome.error());
                if (!Double.isNaN(outcome.value()))
                    tuner.receiveTrialResult(outcome.id(), outcome.parameters(), direction.toLoss(outcome.value()));
                if (assessor != null) synchronized (assessorLock) {
                    assessor.trialEnd(outcome.id(), "SUCCEEDED".equals(outcome.status()));
                }
                if (listener != null) listener.accept(outcome);
            }
        } finally {
            // Interrupting the trial threads kills their processes (see runOnce).
            pool.shutdownNow();
            timer.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        return store.trials(spec.name());
    }

    /**
     * Runs (or resumes) a Hyperband/BOHB/ASHA experiment: each of the scheduler's jobs is a trial
     * process told its budget ({@link TrialProtocol#BUDGET_VARIABLE}) and a checkpoint directory
     * per configuration ({@link TrialProtocol#CHECKPOINT_VARIABLE}), from which a promoted
     * configuration resumes training instead of starting over. A trial's loss is its final
     * metric; a failed trial counts as the worst loss. On a restart the scheduler is rebuilt by
     * replaying, in their original order, the jobs it issued and the results it was told (each job
     * records how many results had come in when it was issued); jobs cut off mid-run are relaunched.
     */
    private List<StoredTrial> runScheduled() throws IOException, InterruptedException {
        store.register(spec);
        killOrphans();
        Direction direction = spec.direction();
        List<StoredTrial> journaled = store.trials(spec.name());
        Map<Integer, Job> jobs = new HashMap<>();
        List<StoredTrial> ended = new ArrayList<>(journaled.stream().filter(StoredTrial::finished).toList());
        ended.sort(java.util.Comparator.comparingInt(StoredTrial::endSequence));
        int reported = 0;
        Deque<StoredTrial> rerun = new ArrayDeque<>();
        for (int i = 0; i < journaled.size(); i++) {
            StoredTrial t = journaled.get(i);
            if (t.id() != i || t.budget() == null)
                throw new IllegalStateException("experiment '" + spec.name() + "' in " + store.file() + ": trial " + t.id()
                        + (t.budget() == null ? " has no budget: it was not run by a multi-fidelity scheduler" : " is out of sequence"));
            while (reported < t.budget().issuedAfter()) {
                if (reported >= ended.size()) throw replayMismatch(t, "it was issued after results the journal does not hold");
                StoredTrial e = ended.get(reported++);
                scheduler.report(jobs.get(e.id()), lossOf(e.status(), e.value(), direction));
            }
            Job job = scheduler.next().orElseThrow(() -> replayMismatch(t, "the scheduler issues nothing here"));
            if (job.config() != t.budget().config() || job.rung() != t.budget().rung()
                    || !canonical(job.parameters()).equals(canonical(t.parameters())))
                throw replayMismatch(t, "the scheduler issues configuration " + job.config() + " at rung " + job.rung() + " "
                        + canonical(job.parameters()));
            jobs.put(t.id(), job);
            if (!t.finished()) rerun.add(t);
        }
        while (reported < ended.size()) {
            StoredTrial e = ended.get(reported++);
            scheduler.report(jobs.get(e.id()), lossOf(e.status(), e.value(), direction));
        }

        ExecutorService pool = Executors.newFixedThreadPool(concurrency, daemon("sinter-hpo-trial"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("sinter-hpo-timeout"));
        var completion = new ExecutorCompletionService<TrialOutcome>(pool);
        int running = 0, nextId = journaled.size();
        try {
            while (true) {
                while (running < concurrency) {
                    int id, attempt;
                    TrialBudget budget;
                    Job job;
                    if (!rerun.isEmpty()) {
                        StoredTrial t = rerun.poll();
                        id = t.id();
                        job = jobs.get(id);
                        budget = t.budget();
                        attempt = store.startAttempt(spec.name(), id, job.parameters(), budget);
                    } else {
                        Optional<Job> next = scheduler.next();
                        if (next.isEmpty()) break; // done, or a synchronous rung waits for running jobs
                        job = next.get();
                        id = nextId++;
                        budget = new TrialBudget(job.config(), job.rung(), job.budget(), reported);
                        jobs.put(id, job);
                        attempt = store.startAttempt(spec.name(), id, job.parameters(), budget);
                    }
                    int trialId = id, firstAttempt = attempt;
                    Map<String, Object> parameters = job.parameters();
                    completion.submit(() -> runWithRetries(trialId, parameters, firstAttempt, budget, timer));
                    running++;
                }
                if (running == 0) break;
                TrialOutcome outcome = take(completion);
                running--;
                store.end(spec.name(), outcome.id(), outcome.status(), outcome.value(), outcome.error());
                reported++;
                scheduler.report(jobs.get(outcome.id()), lossOf(outcome.status(), outcome.value(), direction));
                if (listener != null) listener.accept(outcome);
            }
        } finally {
            pool.shutdownNow();
            timer.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        return store.trials(spec.name());
    }

    /**
     * Kills the trial processes a SIGKILLed manager left running (journaled pid and start time still alive), so they
     * neither compete for the machine nor write into a checkpoint directory that the rerun of their trial uses.
     */
    private void killOrphans() throws IOException, InterruptedException {
        for (ProcessHandle orphan : store.orphans(spec.name())) {
            orphan.descendants().forEach(ProcessHandle::destroyForcibly);
            orphan.destroyForcibly();
            orphan.onExit().completeOnTimeout(orphan, 10, TimeUnit.SECONDS).join();
        }
    }

    /** What the scheduler is told: the metric as a loss, or the worst loss for a failed job (never promoted). */
    private static double lossOf(String status, double value, Direction direction) {
        return "FAILED".equals(status) || Double.isNaN(value) ? Double.POSITIVE_INFINITY : direction.toLoss(value);
    }

    private IllegalStateException replayMismatch(StoredTrial t, String why) {
        return new IllegalStateException("experiment '" + spec.name() + "' in " + store.file() + ": replaying the scheduler disagrees"
                + " with the journal at trial " + t.id() + " (configuration " + t.budget().config() + ", rung " + t.budget().rung()
                + "): " + why + "; was it started with other scheduler settings or another version?");
    }

    /** Parameters as canonical JSON text, so values read back from the journal compare equal to sampled ones. */
    private static String canonical(Map<String, Object> parameters) {
        try {
            return SearchSpaceJson.MAPPER.writeValueAsString(SearchSpaceJson.MAPPER.valueToTree(parameters));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrialOutcome take(ExecutorCompletionService<TrialOutcome> completion) throws IOException, InterruptedException {
        Future<TrialOutcome> done = completion.take();
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            throw new IllegalStateException("trial runner failed: " + e.getCause(), e.getCause());
        }
    }

    private TrialOutcome runWithRetries(int id, Map<String, Object> parameters, int firstAttempt, TrialBudget budget,
                                        ScheduledExecutorService timer) throws IOException, InterruptedException {
        TrialOutcome outcome = runOnce(id, firstAttempt, parameters, budget, timer);
        for (int retry = 1; retry <= maxRetries && "FAILED".equals(outcome.status()); retry++) {
            int attempt = store.startAttempt(spec.name(), id, parameters, budget);
            outcome = runOnce(id, attempt, parameters, budget, timer);
        }
        return outcome.withBudget(budget);
    }

    private TrialOutcome runOnce(int id, int attempt, Map<String, Object> parameters, TrialBudget budget, ScheduledExecutorService timer)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true);
        if (workingDirectory != null) pb.directory(workingDirectory.toFile());
        pb.environment().put(TrialProtocol.PARAMETERS_VARIABLE, SearchSpaceJson.MAPPER.writeValueAsString(parameters));
        pb.environment().put(TrialProtocol.TRIAL_ID_VARIABLE, Integer.toString(id));
        pb.environment().put(TrialProtocol.EXPERIMENT_VARIABLE, spec.name());
        if (budget != null) {
            Path checkpoints = Files.createDirectories(checkpointRoot.resolve("config-" + budget.config()));
            pb.environment().put(TrialProtocol.BUDGET_VARIABLE, TrialProtocol.formatBudget(budget.budget()));
            pb.environment().put(TrialProtocol.CONFIG_VARIABLE, Integer.toString(budget.config()));
            pb.environment().put(TrialProtocol.RUNG_VARIABLE, Integer.toString(budget.rung()));
            pb.environment().put(TrialProtocol.CHECKPOINT_VARIABLE, checkpoints.toAbsolutePath().toString());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new TrialOutcome(id, parameters, "FAILED", Double.NaN, "cannot start trial command " + spec.command() + ": " + e.getMessage());
        }
        store.processStarted(spec.name(), id, process.toHandle());
        AtomicBoolean timedOut = new AtomicBoolean(), killed = new AtomicBoolean();
        ScheduledFuture<?> killer = trialTimeout == null ? null : timer.schedule(() -> {
            timedOut.set(true);
            killTree(process, killed);
        }, trialTimeout.toMillis(), TimeUnit.MILLISECONDS);
        java.util.concurrent.atomic.AtomicReference<String> overLimit = new java.util.concurrent.atomic.AtomicReference<>();
        ScheduledFuture<?> monitor = !limits.any() ? null : timer.scheduleAtFixedRate(() -> {
            String why = killed.get() ? null : limits.exceeded(TrialLimits.sample(process.toHandle()));
            if (why != null && overLimit.compareAndSet(null, why)) killTree(process, killed);
        }, TrialLimits.SAMPLE_MILLIS, TrialLimits.SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        List<Double> history = new ArrayList<>();
        Double result = null;
        String protocolError = null, lastLine = null;
        boolean stopped = false;
        try (Writer log = logDirectory == null ? Writer.nullWriter() : openLog(id);
             BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            if (logDirectory != null) log.write("=== trial " + id + " attempt " + attempt + " " + parameters + "\n");
            String line;
            while ((line = readLine(out, killed)) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                lastLine = line;
                Optional<TrialProtocol.Report> report;
                try {
                    report = TrialProtocol.parse(line);
                } catch (IllegalArgumentException e) {
                    protocolError = e.getMessage();
                    killTree(process, killed);
                    break;
                }
                if (report.isEmpty()) continue;
                if (report.get().isFinal()) {
                    result = report.get().value();
                    continue;
                }
                history.add(report.get().value());
                store.intermediate(spec.name(), id, attempt, history.size() - 1, report.get().value());
                if (assessor != null) {
                    List<Double> losses = history.stream().map(spec.direction()::toLoss).toList();
                    boolean good;
                    synchronized (assessorLock) {
                        good = assessor.assessTrial(id, losses) == Assessor.AssessResult.GOOD;
                    }
                    if (!good) {
                        stopped = true;
                        killTree(process, killed);
                        break;
                    }
                }
            }
            int exit = process.waitFor();
            if (stopped) return new TrialOutcome(id, parameters, "EARLY_STOPPED", history.getLast(), null);
            if (protocolError != null) return new TrialOutcome(id, parameters, "FAILED", Double.NaN, protocolError);
            if (overLimit.get() != null) return new TrialOutcome(id, parameters, "FAILED", Double.NaN, overLimit.get());
            if (timedOut.get())
                return new TrialOutcome(id, parameters, "FAILED", Double.NaN, "timed out after " + trialTimeout.toMillis() / 1000.0 + " s");
            if (exit != 0)
                return new TrialOutcome(id, parameters, "FAILED", Double.NaN, "exited with status " + exit + (lastLine == null ? "" : "; last output: " + lastLine));
            if (result == null) return new TrialOutcome(id, parameters, "FAILED", Double.NaN, "exited without printing a " + TrialProtocol.RESULT + " line");
            return new TrialOutcome(id, parameters, "SUCCEEDED", result, null);
        } catch (InterruptedException | IOException | RuntimeException e) {
            killTree(process, killed);
            throw e;
        } finally {
            if (killer != null) killer.cancel(false);
            if (monitor != null) monitor.cancel(false);
        }
    }

    private Writer openLog(int id) throws IOException {
        Files.createDirectories(logDirectory);
        return Files.newBufferedWriter(logDirectory.resolve("trial-" + id + ".log"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The next output line; end of output once the process was killed (killing it closes the stream). */
    private static String readLine(BufferedReader out, AtomicBoolean killed) throws IOException {
        try {
            return out.readLine();
        } catch (IOException e) {
            if (killed.get()) return null;
            throw e;
        }
    }

    /** Kills the trial and everything it started (a shell script's children, a launcher's JVM). */
    private static void killTree(Process process, AtomicBoolean killed) {
        killed.set(true);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static final class Builder {
        private ExperimentStore store;
        private ExperimentSpec spec;
        private Tuner tuner;
        private Assessor assessor;
        private int concurrency = 1;
        private Duration trialTimeout;
        private TrialLimits limits = TrialLimits.NONE;
        private int maxRetries;
        private Path workingDirectory;
        private Path logDirectory;
        private java.util.function.Consumer<TrialOutcome> listener;
        private MultiFidelityScheduler scheduler;
        private Path checkpointDirectory;

        /**
         * Run a Hyperband/BOHB/ASHA scheduler's jobs instead of a tuner's trials (the tuner, if any, is the scheduler's
         * business). The scheduler must be new, built with the same settings on every restart: the manager replays the
         * journal into it.
         */
        public Builder scheduler(MultiFidelityScheduler scheduler) { this.scheduler = scheduler; return this; }
        /** Where each configuration's checkpoint directory is made ({@code config-<n>}); default: next to the database. */
        public Builder checkpointDirectory(Path dir) { this.checkpointDirectory = dir; return this; }

        public Builder store(ExperimentStore store) { this.store = store; return this; }
        public Builder spec(ExperimentSpec spec) { this.spec = spec; return this; }
        public Builder tuner(Tuner tuner) { this.tuner = tuner; return this; }
        public Builder assessor(Assessor assessor) { this.assessor = assessor; return this; }
        public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }
        /** Kill a trial that runs longer than this (it then counts as failed and may be retried); null: no limit. */
        public Builder trialTimeout(Duration timeout) { this.trialTimeout = timeout; return this; }
        /** Kill a trial whose process tree goes over these (it then counts as failed, naming the limit, and may be retried). */
        public Builder limits(TrialLimits limits) { this.limits = java.util.Objects.requireNonNull(limits, "limits"); return this; }
        /** How many times a failed trial is relaunched with the same parameters before it counts as failed. */
        public Builder maxRetries(int retries) { this.maxRetries = retries; return this; }
        public Builder workingDirectory(Path dir) { this.workingDirectory = dir; return this; }
        /** Where each trial's output goes, {@code trial-<id>.log}, all attempts appended; null: discarded. */
        public Builder logDirectory(Path dir) { this.logDirectory = dir; return this; }
        /** Told of each trial's end, on the manager's thread, after it is journaled. */
        public Builder onTrialEnd(java.util.function.Consumer<TrialOutcome> listener) { this.listener = listener; return this; }
        public ProcessExperiment build() { return new ProcessExperiment(this); }
    }
}
