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
 * <p>A SIGKILLed manager cannot stop its trial processes; they run on, unobserved, and their
 * results are discarded (the rerun's count). A normal exit or an exception kills them.
 */
public final class ProcessExperiment {
    private final ExperimentStore store;
    private final ExperimentSpec spec;
    private final SearchSpace space;
    private final Tuner tuner;
    private final Assessor assessor;
    private final int concurrency;
    private final Duration trialTimeout;
    private final int maxRetries;
    private final Path workingDirectory;
    private final Path logDirectory;
    private final java.util.function.Consumer<TrialOutcome> listener;
    private final Object assessorLock = new Object();

    private ProcessExperiment(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        this.spec = Objects.requireNonNull(b.spec, "spec");
        this.space = SearchSpaceJson.parse(spec.searchSpaceJson());
        this.tuner = Objects.requireNonNull(b.tuner, "tuner");
        this.assessor = b.assessor;
        this.concurrency = b.concurrency;
        this.trialTimeout = b.trialTimeout;
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
        store.register(spec);
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
                    completion.submit(() -> runWithRetries(trialId, trialParameters, timer));
                    running++;
                }
                if (running == 0) break;
                Future<TrialOutcome> done = completion.take();
                running--;
                TrialOutcome outcome;
                try {
                    outcome = done.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) throw io;
                    if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
                    throw new IllegalStateException("trial runner failed: " + e.getCause(), e.getCause());
                }
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

    private TrialOutcome runWithRetries(int id, Map<String, Object> parameters, ScheduledExecutorService timer) throws IOException, InterruptedException {
        TrialOutcome outcome = null;
        for (int failures = 0; failures <= maxRetries; failures++) {
            int attempt = store.startAttempt(spec.name(), id, parameters);
            outcome = runOnce(id, attempt, parameters, timer);
            if (!"FAILED".equals(outcome.status())) return outcome;
        }
        return outcome;
    }

    private TrialOutcome runOnce(int id, int attempt, Map<String, Object> parameters, ScheduledExecutorService timer)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).redirectErrorStream(true);
        if (workingDirectory != null) pb.directory(workingDirectory.toFile());
        pb.environment().put(TrialProtocol.PARAMETERS_VARIABLE, SearchSpaceJson.MAPPER.writeValueAsString(parameters));
        pb.environment().put(TrialProtocol.TRIAL_ID_VARIABLE, Integer.toString(id));
        pb.environment().put(TrialProtocol.EXPERIMENT_VARIABLE, spec.name());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new TrialOutcome(id, parameters, "FAILED", Double.NaN, "cannot start trial command " + spec.command() + ": " + e.getMessage());
        }
        AtomicBoolean timedOut = new AtomicBoolean(), killed = new AtomicBoolean();
        ScheduledFuture<?> killer = trialTimeout == null ? null : timer.schedule(() -> {
            timedOut.set(true);
            killTree(process, killed);
        }, trialTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
        private int maxRetries;
        private Path workingDirectory;
        private Path logDirectory;
        private java.util.function.Consumer<TrialOutcome> listener;

        public Builder store(ExperimentStore store) { this.store = store; return this; }
        public Builder spec(ExperimentSpec spec) { this.spec = spec; return this; }
        public Builder tuner(Tuner tuner) { this.tuner = tuner; return this; }
        public Builder assessor(Assessor assessor) { this.assessor = assessor; return this; }
        public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }
        /** Kill a trial that runs longer than this (it then counts as failed and may be retried); null: no limit. */
        public Builder trialTimeout(Duration timeout) { this.trialTimeout = timeout; return this; }
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
