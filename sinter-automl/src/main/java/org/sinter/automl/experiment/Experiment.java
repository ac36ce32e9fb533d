package org.sinter.automl.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sinter.automl.assessor.Assessor;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.Tuner;

/**
 * Runs trials of a {@link TrialFunction} with parameters from a {@link Tuner}, up to
 * {@code concurrency} at a time on their own threads, stops trials the {@link Assessor} rejects,
 * and journals every event. Running it again on the same journal resumes: finished trials are
 * replayed into the tuner and assessor, not rerun; trials that were running when the process died
 * are rerun with their recorded parameters; new trials fill up to {@code maxTrials}.
 *
 * <p>Journal records (JSON lines): {@code experiment} (direction and search space, checked on
 * resume), {@code start} (trial id, parameters), {@code intermediate} (trial id, value),
 * {@code end} (trial id, status, value, error). The tuner and assessor are called on this thread
 * and under one lock respectively, so neither needs to be thread-safe.
 */
public final class Experiment {
    private final SearchSpace space;
    private final Tuner tuner;
    private final Assessor assessor;
    private final TrialFunction function;
    private final Direction direction;
    private final int maxTrials;
    private final int concurrency;
    private final Path journalFile;

    private Experiment(Builder b) {
        this.space = Objects.requireNonNull(b.space, "searchSpace");
        this.tuner = Objects.requireNonNull(b.tuner, "tuner");
        this.assessor = b.assessor;
        this.function = Objects.requireNonNull(b.function, "trialFunction");
        this.direction = b.direction;
        this.maxTrials = b.maxTrials;
        this.concurrency = b.concurrency;
        this.journalFile = Objects.requireNonNull(b.journal, "journal");
        if (maxTrials < 1 || concurrency < 1) throw new IllegalArgumentException("maxTrials and concurrency must be >= 1");
    }

    public static Builder builder() { return new Builder(); }

    /** What a trial thread hands back. */
    private record Outcome(int id, TrialStatus status, double value, String error) {}

    /** A trial as reconstructed from the journal. */
    private static final class Journaled {
        final int id;
        Map<String, Object> parameters;
        int lastStart;
        List<Double> intermediates = new ArrayList<>();
        TrialRecord finished;
        Journaled(int id) { this.id = id; }
    }

    public ExperimentResult run() throws IOException, InterruptedException {
        try (Journal journal = Journal.open(journalFile)) {
            Map<Integer, Journaled> trials = replay(journal.records());
            if (journal.records().isEmpty()) {
                ObjectNode header = record("experiment");
                header.put("direction", direction.name());
                header.set("searchSpace", SearchSpaceJson.toJson(space));
                journal.append(header);
            }
            return execute(journal, trials);
        }
    }

    private Map<Integer, Journaled> replay(List<JsonNode> records) {
        Map<Integer, Journaled> trials = new LinkedHashMap<>();
        if (records.isEmpty()) return trials;
        JsonNode header = records.getFirst();
        if (!"experiment".equals(header.path("event").asText()))
            throw new IllegalStateException(journalFile + " does not start with an experiment record");
        if (!direction.name().equals(header.path("direction").asText()) || !SearchSpaceJson.toJson(space).equals(header.get("searchSpace")))
            throw new IllegalStateException(journalFile + " belongs to an experiment with another direction or search space; "
                    + "resume it with the same ones or use a new journal");
        // First pass: where each trial last started, so an attempt cut short by a crash is ignored.
        for (int i = 1; i < records.size(); i++) {
            JsonNode r = records.get(i);
            if (r.path("event").asText().equals("start")) {
                Journaled t = trials.computeIfAbsent(r.get("trial").asInt(), Journaled::new);
                t.lastStart = i;
                t.parameters = parameters(r.get("parameters"));
            }
        }
        List<Map<String, Object>> issued = new ArrayList<>();
        trials.values().forEach(t -> issued.add(t.parameters));
        List<Tuner.Observation> completed = new ArrayList<>();
        // Second pass, in journal order, so the assessor sees finished trials' results interleaved as they happened.
        for (int i = 1; i < records.size(); i++) {
            JsonNode r = records.get(i);
            Journaled t = trials.get(r.path("trial").asInt(-1));
            if (t == null || i < t.lastStart) continue;
            switch (r.path("event").asText()) {
                case "intermediate" -> t.intermediates.add(r.get("value").asDouble());
                case "end" -> {
                    TrialStatus status = TrialStatus.valueOf(r.get("status").asText());
                    double value = r.path("value").isNumber() ? r.get("value").asDouble() : Double.NaN;
                    t.finished = new TrialRecord(t.id, t.parameters, status, value, t.intermediates,
                            r.hasNonNull("error") ? r.get("error").asText() : null);
                    if (!Double.isNaN(value)) completed.add(new Tuner.Observation(t.id, t.parameters, direction.toLoss(value)));
                    if (assessor != null) {
                        List<Double> losses = new ArrayList<>();
                        for (double v : t.intermediates) {
                            losses.add(direction.toLoss(v));
                            assessor.assessTrial(t.id, List.copyOf(losses));
                        }
                        assessor.trialEnd(t.id, status == TrialStatus.SUCCEEDED);
                    }
                }
                default -> {}
            }
        }
        tuner.restore(issued, completed);
        return trials;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(JsonNode node) {
        return SearchSpaceJson.MAPPER.convertValue(node, LinkedHashMap.class);
    }

    private ExperimentResult execute(Journal journal, Map<Integer, Journaled> journaled) throws IOException, InterruptedException {
        List<TrialRecord> finished = new ArrayList<>();
        Deque<Journaled> rerun = new ArrayDeque<>();
        int nextId = 0;
        for (Journaled t : journaled.values()) {
            if (t.finished != null) finished.add(t.finished); else rerun.add(t);
            nextId = Math.max(nextId, t.id + 1);
        }
        Map<Integer, Trial> running = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "sinter-trial");
            thread.setDaemon(true);
            return thread;
        });
        var completion = new ExecutorCompletionService<Outcome>(pool);
        Object assessorLock = new Object();
        boolean exhausted = false;
        try {
            while (true) {
                while (running.size() < concurrency) {
                    int id;
                    Map<String, Object> parameters;
                    if (!rerun.isEmpty()) {
                        Journaled t = rerun.poll();
                        id = t.id;
                        parameters = t.parameters;
                    } else if (!exhausted && nextId < maxTrials) {
                        Optional<Map<String, Object>> proposal = tuner.generateParameters(nextId);
                        if (proposal.isEmpty()) { exhausted = true; break; }
                        id = nextId++;
                        parameters = proposal.get();
                    } else break;
                    ObjectNode start = record("start").put("trial", id);
                    start.set("parameters", SearchSpaceJson.MAPPER.valueToTree(parameters));
                    journal.append(start);
                    Trial trial = new Trial(id, parameters, (t, value, history) -> {
                        synchronized (assessorLock) {
                            try {
                                journal.append(record("intermediate").put("trial", t.id()).put("value", value));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            if (assessor == null) return true;
                            List<Double> losses = history.stream().map(direction::toLoss).toList();
                            return assessor.assessTrial(t.id(), losses) == Assessor.AssessResult.GOOD;
                        }
                    });
                    running.put(id, trial);
                    completion.submit(() -> runTrial(trial));
                }
                if (running.isEmpty()) break;
                Future<Outcome> done = completion.take();
                Outcome outcome;
                try {
                    outcome = done.get();
                } catch (ExecutionException e) {
                    // An Error escaped a trial: abort as a crash would, leaving running trials unrecorded.
                    if (e.getCause() instanceof Error error) throw error;
                    throw new IllegalStateException(e.getCause());
                }
                Trial trial = running.remove(outcome.id());
                ObjectNode end = record("end").put("trial", outcome.id()).put("status", outcome.status().name());
                if (!Double.isNaN(outcome.value())) end.put("value", outcome.value());
                if (outcome.error() != null) end.put("error", outcome.error());
                journal.append(end);
                if (!Double.isNaN(outcome.value()))
                    tuner.receiveTrialResult(outcome.id(), trial.parameters(), direction.toLoss(outcome.value()));
                if (assessor != null) synchronized (assessorLock) {
                    assessor.trialEnd(outcome.id(), outcome.status() == TrialStatus.SUCCEEDED);
                }
                finished.add(new TrialRecord(outcome.id(), trial.parameters(), outcome.status(), outcome.value(),
                        trial.intermediates(), outcome.error()));
            }
        } finally {
            pool.shutdownNow();
        }
        return new ExperimentResult(direction, finished);
    }

    private Outcome runTrial(Trial trial) {
        try {
            function.run(trial);
            if (trial.finalValue() == null) return new Outcome(trial.id(), TrialStatus.FAILED, Double.NaN, "the trial reported no final result");
            return new Outcome(trial.id(), TrialStatus.SUCCEEDED, trial.finalValue(), null);
        } catch (TrialEarlyStopped stopped) {
            List<Double> history = trial.intermediates();
            return new Outcome(trial.id(), TrialStatus.EARLY_STOPPED, history.getLast(), null);
        } catch (Exception e) {
            return new Outcome(trial.id(), TrialStatus.FAILED, Double.NaN, e.toString());
        }
    }

    private static ObjectNode record(String event) {
        return SearchSpaceJson.MAPPER.createObjectNode().put("event", event);
    }

    public static final class Builder {
        private SearchSpace space;
        private Tuner tuner;
        private Assessor assessor;
        private TrialFunction function;
        private Direction direction = Direction.MINIMIZE;
        private int maxTrials = 20;
        private int concurrency = 1;
        private Path journal;

        public Builder searchSpace(SearchSpace space) { this.space = space; return this; }
        public Builder tuner(Tuner tuner) { this.tuner = tuner; return this; }
        public Builder assessor(Assessor assessor) { this.assessor = assessor; return this; }
        public Builder trialFunction(TrialFunction function) { this.function = function; return this; }
        public Builder direction(Direction direction) { this.direction = direction; return this; }
        public Builder maxTrials(int maxTrials) { this.maxTrials = maxTrials; return this; }
        public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }
        public Builder journal(Path journal) { this.journal = journal; return this; }
        public Experiment build() { return new Experiment(this); }
    }
}
