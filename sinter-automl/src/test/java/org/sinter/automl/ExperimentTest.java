package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.assessor.MedianStopAssessor;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.experiment.Experiment;
import org.sinter.automl.experiment.ExperimentResult;
import org.sinter.automl.experiment.TrialFunction;
import org.sinter.automl.experiment.TrialRecord;
import org.sinter.automl.experiment.TrialStatus;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.tuner.GridTuner;
import org.sinter.automl.tuner.RandomTuner;
import org.sinter.automl.tuner.TpeTuner;

class ExperimentTest {
    @TempDir Path dir;

    /** Stands in for the JVM dying: an Error aborts the experiment with its running trials unrecorded. */
    static final class SimulatedCrash extends Error {
        @java.io.Serial private static final long serialVersionUID = 1L;
    }

    @Test
    void runsTrialsConcurrentlyAndMaximises() throws Exception {
        AtomicInteger running = new AtomicInteger(), peak = new AtomicInteger();
        ExperimentResult result = Experiment.builder()
                .searchSpace(SearchSpace.builder().uniform("x", 0, 1).build())
                .tuner(new RandomTuner(SearchSpace.builder().uniform("x", 0, 1).build(), 3))
                .trialFunction(TrialFunction.returning(trial -> {
                    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try { Thread.sleep(30); } catch (InterruptedException e) { throw new RuntimeException(e); }
                    running.decrementAndGet();
                    return trial.getDouble("x");
                }))
                .direction(Direction.MAXIMIZE).maxTrials(16).concurrency(4).journal(dir.resolve("exp.jsonl"))
                .build().run();
        assertEquals(4, peak.get());
        assertEquals(16, result.count(TrialStatus.SUCCEEDED));
        double max = result.trials().stream().mapToDouble(TrialRecord::value).max().orElseThrow();
        assertEquals(max, result.best().orElseThrow().value());
        assertEquals(IntStream.range(0, 16).boxed().toList(), result.trials().stream().map(TrialRecord::id).toList());
    }

    @Test
    void assessorStopsBadCurvesAndFailuresAreRecorded() throws Exception {
        // Trial quality is its parameter: a "curve" k/step + k; bad k are stopped by the median rule.
        SearchSpace space = SearchSpace.builder().randInt("k", 0, 10).build();
        ExperimentResult result = Experiment.builder()
                .searchSpace(space).tuner(new GridTuner(space)).assessor(new MedianStopAssessor(1))
                .trialFunction(trial -> {
                    int k = trial.getInt("k");
                    if (k == 9) throw new IllegalStateException("diverged");
                    for (int step = 1; step <= 5; step++) trial.reportIntermediate(k + k / (double) step);
                    trial.reportFinal(k);
                })
                .maxTrials(100).concurrency(1).journal(dir.resolve("exp.jsonl")).build().run();
        assertEquals(10, result.trials().size()); // the grid ran out before maxTrials
        Map<Integer, TrialStatus> status = result.trials().stream()
                .collect(Collectors.toMap(t -> (Integer) t.parameters().get("k"), TrialRecord::status, (a, b) -> a, TreeMap::new));
        // k = 0 completes; k = 1: step 1 loss 2 > median 0 -> stopped; k = 9 fails; every k >= 1 is
        // worse than the median of the single completed curve at step 1, so only k = 0 succeeds.
        assertEquals(TrialStatus.SUCCEEDED, status.get(0));
        assertEquals(TrialStatus.FAILED, status.get(9));
        for (int k = 1; k <= 8; k++) assertEquals(TrialStatus.EARLY_STOPPED, status.get(k), "k=" + k);
        TrialRecord stopped = result.trials().stream().filter(t -> t.parameters().get("k").equals(4)).findFirst().orElseThrow();
        assertEquals(List.of(8.0), stopped.intermediates());
        assertEquals(8.0, stopped.value());
        assertTrue(result.trials().stream().filter(t -> t.status() == TrialStatus.FAILED).findFirst().orElseThrow().error().contains("diverged"));
    }

    @Test
    void resumeAfterACrashRerunsOnlyUnfinishedTrials() throws Exception {
        SearchSpace space = SearchSpace.builder().uniform("x", -5, 5).uniform("y", -5, 5).build();
        Path journal = dir.resolve("exp.jsonl");
        Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        Set<Integer> finishedBeforeCrash = Collections.newSetFromMap(new ConcurrentHashMap<>());
        AtomicInteger crashes = new AtomicInteger();
        TrialFunction function = trial -> {
            runs.computeIfAbsent(trial.id(), id -> new AtomicInteger()).incrementAndGet();
            for (int step = 0; step < 3; step++) {
                trial.reportIntermediate(step);
                Thread.sleep(5);
            }
            if (trial.id() == 9 && crashes.getAndIncrement() == 0) throw new SimulatedCrash();
            double x = trial.getDouble("x") - 1, y = trial.getDouble("y") + 2;
            trial.reportFinal(x * x + y * y);
        };
        Experiment.Builder builder = Experiment.builder().searchSpace(space).trialFunction(function)
                .maxTrials(20).concurrency(3).journal(journal);
        assertThrows(SimulatedCrash.class, () -> builder.tuner(new TpeTuner(space, 5, 4, 24)).build().run());
        for (String line : Files.readAllLines(journal))
            if (line.contains("\"event\":\"end\"")) finishedBeforeCrash.add(Integer.parseInt(line.replaceAll(".*\"trial\":(\\d+).*", "$1")));
        assertFalse(finishedBeforeCrash.contains(9));
        Map<Integer, Integer> firstRun = snapshot(runs);
        runs.clear();

        ExperimentResult result = builder.tuner(new TpeTuner(space, 5, 4, 24)).build().run();
        Set<Integer> rerun = runs.keySet();
        assertTrue(Collections.disjoint(rerun, finishedBeforeCrash), "finished trials ran again: " + rerun);
        Set<Integer> all = new HashSet<>(finishedBeforeCrash);
        all.addAll(rerun);
        assertEquals(IntStream.range(0, 20).boxed().collect(Collectors.toSet()), all);
        assertTrue(rerun.contains(9));
        runs.values().forEach(n -> assertEquals(1, n.get()));
        assertEquals(20, result.count(TrialStatus.SUCCEEDED));
        assertEquals(20, result.trials().stream().map(TrialRecord::id).distinct().count());
        // the crashed trial's partial intermediates are dropped: its record holds one attempt's three
        assertEquals(List.of(0.0, 1.0, 2.0), result.trials().get(9).intermediates());
        assertTrue(firstRun.containsKey(9));

        // Resuming a finished experiment runs nothing.
        runs.clear();
        assertEquals(20, builder.tuner(new TpeTuner(space, 5, 4, 24)).build().run().trials().size());
        assertTrue(runs.isEmpty());
    }

    @Test
    void sequentialResumeProposesWhatAnUninterruptedRunWould() throws Exception {
        SearchSpace space = SearchSpace.builder().uniform("x", -5, 5).choice("c", "a", "b", "c").build();
        AtomicInteger crashes = new AtomicInteger(1); // the uninterrupted run must not crash
        TrialFunction function = trial -> {
            if (trial.id() == 12 && crashes.getAndIncrement() == 0) throw new SimulatedCrash();
            trial.reportFinal(Math.abs(trial.getDouble("x") - 2) + (trial.getString("c").equals("b") ? 0 : 1));
        };
        Experiment.Builder b = Experiment.builder().searchSpace(space).trialFunction(function).maxTrials(25).concurrency(1);
        ExperimentResult straight = b.tuner(new TpeTuner(space, 11, 5, 24)).journal(dir.resolve("a.jsonl")).build().run();
        crashes.set(0);
        b.journal(dir.resolve("b.jsonl"));
        assertThrows(SimulatedCrash.class, () -> b.tuner(new TpeTuner(space, 11, 5, 24)).build().run());
        ExperimentResult resumed = b.tuner(new TpeTuner(space, 11, 5, 24)).build().run();
        assertEquals(straight.trials().stream().map(TrialRecord::parameters).toList(),
                resumed.trials().stream().map(TrialRecord::parameters).toList());
    }

    @Test
    void aTornLastRecordIsCutAndACorruptMiddleIsRefused() throws Exception {
        SearchSpace space = SearchSpace.builder().randInt("n", 0, 4).build();
        Path journal = dir.resolve("exp.jsonl");
        Experiment.Builder b = Experiment.builder().searchSpace(space).tuner(new GridTuner(space))
                .trialFunction(TrialFunction.returning(t -> t.getInt("n"))).maxTrials(4).journal(journal);
        b.build().run();
        List<String> lines = Files.readAllLines(journal);
        // Drop the last end record and leave half of it, as a crash mid-write would.
        String last = lines.getLast();
        Files.writeString(journal, String.join("\n", lines.subList(0, lines.size() - 1)) + "\n" + last.substring(0, last.length() / 2),
                StandardCharsets.UTF_8);
        AtomicInteger ran = new AtomicInteger();
        ExperimentResult resumed = b.tuner(new GridTuner(space))
                .trialFunction(TrialFunction.returning(t -> { ran.incrementAndGet(); return t.getInt("n"); })).build().run();
        assertEquals(1, ran.get());
        assertEquals(4, resumed.count(TrialStatus.SUCCEEDED));
        for (String line : Files.readAllLines(journal)) assertTrue(line.startsWith("{") && line.endsWith("}"), line);

        List<String> now = Files.readAllLines(journal);
        now.set(2, "{\"event\": \"start\", \"tri");
        Files.write(journal, now);
        var e = assertThrows(IOException.class, () -> b.tuner(new GridTuner(space)).build().run());
        assertTrue(e.getMessage().contains("line 3 is not a JSON record"), e.getMessage());
    }

    @Test
    void refusesToResumeWithAnotherSearchSpaceOrDirection() throws Exception {
        SearchSpace space = SearchSpace.builder().randInt("n", 0, 4).build();
        Path journal = dir.resolve("exp.jsonl");
        Experiment.builder().searchSpace(space).tuner(new GridTuner(space))
                .trialFunction(TrialFunction.returning(t -> t.getInt("n"))).maxTrials(2).journal(journal).build().run();
        SearchSpace other = SearchSpace.builder().randInt("n", 0, 5).build();
        var e = assertThrows(IllegalStateException.class, () -> Experiment.builder().searchSpace(other).tuner(new GridTuner(other))
                .trialFunction(TrialFunction.returning(t -> t.getInt("n"))).maxTrials(2).journal(journal).build().run());
        assertTrue(e.getMessage().contains("another direction or search space"));
        assertThrows(IllegalStateException.class, () -> Experiment.builder().searchSpace(space).tuner(new GridTuner(space))
                .direction(Direction.MAXIMIZE).trialFunction(TrialFunction.returning(t -> t.getInt("n"))).maxTrials(2)
                .journal(journal).build().run());
        Files.writeString(journal, "", StandardOpenOption.APPEND);
    }

    private static Map<Integer, Integer> snapshot(Map<Integer, AtomicInteger> runs) {
        return runs.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }
}
