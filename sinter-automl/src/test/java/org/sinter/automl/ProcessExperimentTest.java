package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.assessor.MedianStopAssessor;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.ProcessExperiment;
import org.sinter.automl.manager.StoredTrial;
import org.sinter.automl.manager.TrialProcess;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.GridTuner;
import org.sinter.automl.tuner.RandomTuner;
import org.sinter.automl.tuner.TpeTuner;
import org.sinter.automl.tuner.Tuner;

class ProcessExperimentTest {
    @TempDir Path dir;

    static final SearchSpace SPACE = SearchSpace.builder().uniform("x", 0, 1).logUniform("y", 1e-4, 1).build();

    private ExperimentSpec spec(String name, List<String> command, int trials) {
        return new ExperimentSpec(name, SearchSpaceJson.toJson(SPACE).toString(), "tpe", 1, Direction.MINIMIZE, command, trials);
    }

    @Test
    void runsTrialProcessesConcurrentlyAndJournalsTheirResults() throws Exception {
        Path marks = Files.createDirectories(dir.resolve("marks"));
        Path script = TrialScripts.quadratic(dir, 3, 150);
        // The script reads MARKS from the environment the manager inherits: run it through env.
        List<String> command = List.of("/usr/bin/env", "MARKS=" + marks, "/usr/bin/python3", script.toString());
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec("quad", command, 9)).tuner(new TpeTuner(SPACE, 1, 4, 24))
                    .concurrency(3).logDirectory(dir.resolve("logs")).build().run();
        }
        assertEquals(9, trials.size());
        for (StoredTrial t : trials) {
            assertEquals("SUCCEEDED", t.status(), t.error());
            assertEquals(TrialScripts.quadratic(t.parameters()), t.value(), 1e-12, "trial " + t.id() + " value");
            assertEquals(3, t.intermediates().size());
            assertEquals(1, t.attempts());
        }
        // Overlap of the trials' [start, end] intervals: at most 3, and the limit was used.
        List<double[]> spans = new ArrayList<>();
        for (Path start : Files.list(marks).filter(p -> p.toString().endsWith(".start")).toList()) {
            Path end = Path.of(start.toString().replace(".start", ".end"));
            spans.add(new double[] {Double.parseDouble(Files.readString(start)), Double.parseDouble(Files.readString(end))});
        }
        assertEquals(9, spans.size());
        int most = 0;
        for (double[] s : spans) {
            int overlapping = (int) spans.stream().filter(o -> o[0] <= s[0] && s[0] < o[1]).count();
            most = Math.max(most, overlapping);
        }
        assertTrue(most <= 3, "more than 3 trials ran at once: " + most);
        assertTrue(most >= 2, "trials never overlapped");
        String log = Files.readString(dir.resolve("logs").resolve("trial-0.log"));
        assertTrue(log.contains("some log line") && log.contains("SINTER_RESULT"), log);
    }

    @Test
    void timeoutsKillAndRetriesRelaunchWithTheSameParameters() throws Exception {
        // Fails on the first attempt of each trial (no marker yet), succeeds on the second; trial 1 hangs always.
        Path script = TrialScripts.write(dir, "flaky.py", """
                import json, os, sys, time
                p = json.loads(os.environ["SINTER_PARAMETERS"])
                trial = os.environ["SINTER_TRIAL_ID"]
                if trial == "1":
                    time.sleep(60)
                marker = os.path.join(sys.argv[1], "seen-" + trial)
                if not os.path.exists(marker):
                    open(marker, "w").write(json.dumps(p))
                    sys.exit(3)
                assert json.loads(open(marker).read()) == p, "parameters changed between attempts"
                print("SINTER_RESULT", p["x"])
                """);
        List<String> command = List.of("/usr/bin/python3", script.toString(), dir.toString());
        long t0 = System.nanoTime();
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec("flaky", command, 3)).tuner(new RandomTuner(SPACE, 3))
                    .concurrency(3).maxRetries(1).trialTimeout(Duration.ofSeconds(2)).build().run();
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 50, "the hanging trial was not killed");
        for (StoredTrial t : trials) {
            assertEquals(2, t.attempts(), "trial " + t.id());
            if (t.id() == 1) {
                assertEquals("FAILED", t.status());
                assertTrue(t.error().contains("timed out after 2.0 s"), t.error());
            } else {
                assertEquals("SUCCEEDED", t.status(), t.error());
                assertEquals(((Number) t.parameters().get("x")).doubleValue(), t.value(), 0);
            }
        }
    }

    @Test
    void resourceLimitsKillTrialsThatGoOverThem() throws Exception {
        // Trial 0 holds 300 MiB (in a child process, to count the tree), trial 1 spins on the CPU, trial 2 stays small.
        Path script = TrialScripts.write(dir, "hungry.py", """
                import os, subprocess, sys, time
                trial = os.environ["SINTER_TRIAL_ID"]
                if trial == "0":
                    subprocess.run([sys.executable, "-c", "b = bytearray(300 * 2**20); import time; time.sleep(30)"])
                elif trial == "1":
                    end = time.time() + 30
                    while time.time() < end: pass
                print("SINTER_RESULT", trial)
                """);
        long t0 = System.nanoTime();
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec("hungry", TrialScripts.python(script), 3)).tuner(new RandomTuner(SPACE, 3))
                    .limits(new org.sinter.automl.manager.TrialLimits(150L << 20, 1.0)).build().run();
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 25, "a trial over its limits was not killed");
        assertEquals("FAILED", trials.get(0).status());
        assertTrue(trials.get(0).error().startsWith("exceeded the memory limit of 150 MiB"), trials.get(0).error());
        assertEquals("FAILED", trials.get(1).status());
        assertTrue(trials.get(1).error().startsWith("exceeded the CPU limit of 1.0 s"), trials.get(1).error());
        assertEquals("SUCCEEDED", trials.get(2).status(), trials.get(2).error());
        assertThrows(IllegalArgumentException.class, () -> new org.sinter.automl.manager.TrialLimits(-1, 0));
    }

    @Test
    void failuresAndMalformedReportsAreRecordedWithTheirCause() throws Exception {
        Path script = TrialScripts.write(dir, "bad.py", """
                import os, sys
                trial = os.environ["SINTER_TRIAL_ID"]
                if trial == "0": print("SINTER_RESULT not-a-number")
                elif trial == "1": print("dying"); sys.exit(7)
                else: print("no result here")
                """);
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec("bad", TrialScripts.python(script), 3))
                    .tuner(new RandomTuner(SPACE, 3)).build().run();
        }
        assertTrue(trials.get(0).error().contains("malformed report line 'SINTER_RESULT not-a-number'"), trials.get(0).error());
        assertEquals("exited with status 7; last output: dying", trials.get(1).error());
        assertEquals("exited without printing a SINTER_RESULT line", trials.get(2).error());
        assertTrue(trials.stream().allMatch(t -> t.status().equals("FAILED") && Double.isNaN(t.value())));
    }

    @Test
    void theMedianRuleKillsBadTrialsThroughTheirProcesses() throws Exception {
        // A grid over x with losses 0..7 reported per step: later, worse trials fall below the median.
        SearchSpace space = SearchSpace.builder().choice("x", 0, 1, 2, 3, 4, 5, 6, 7).build();
        Path script = TrialScripts.write(dir, "curve.py", """
                import json, os, time
                x = json.loads(os.environ["SINTER_PARAMETERS"])["x"]
                for step in range(5):
                    print("SINTER_INTERMEDIATE", x + 1 / (step + 1), flush=True)
                    time.sleep(0.05)
                print("SINTER_RESULT", x)
                """);
        var spec = new ExperimentSpec("median", SearchSpaceJson.toJson(space).toString(), "grid", 0, Direction.MINIMIZE,
                TrialScripts.python(script), 8);
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec).tuner(new GridTuner(space))
                    .assessor(new MedianStopAssessor(1)).build().run();
        }
        assertEquals("SUCCEEDED", trials.get(0).status());
        long stopped = trials.stream().filter(t -> t.status().equals("EARLY_STOPPED")).count();
        assertTrue(stopped >= 5, "median rule stopped " + stopped + " of 8: " + trials);
        for (StoredTrial t : trials)
            if (t.status().equals("EARLY_STOPPED")) {
                assertTrue(t.intermediates().size() < 5, "trial " + t.id() + " ran to the end");
                assertEquals(t.intermediates().getLast(), t.value());
            }
    }

    @Test
    void resumesTrialsLeftRunningAndRefusesAnotherSetup() throws Exception {
        Path script = TrialScripts.quadratic(dir, 1, 0);
        ExperimentSpec spec = spec("resume", TrialScripts.python(script), 6);
        Tuner tuner = new TpeTuner(SPACE, 1, 4, 24);
        Map<String, Object> cutOff = Map.of("x", 0.5, "y", 0.01);
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            store.register(spec);
            store.startAttempt("resume", 0, cutOff); // a manager died while trial 0 ran
        }
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec).tuner(tuner).concurrency(2).build().run();
        }
        assertEquals(6, trials.size());
        assertEquals(cutOff, trials.get(0).parameters());
        assertEquals(2, trials.get(0).attempts());
        assertEquals(TrialScripts.quadratic(cutOff), trials.get(0).value(), 1e-12);
        assertTrue(trials.stream().allMatch(t -> t.status().equals("SUCCEEDED")));
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            var other = new ExperimentSpec("resume", spec.searchSpaceJson(), "gp", 1, Direction.MINIMIZE, spec.command(), 6);
            var e = assertThrows(IllegalArgumentException.class, () -> store.register(other));
            assertTrue(e.getMessage().contains("another tuner (tpe stored, gp given)"), e.getMessage());
            // Running it again with a larger budget adds trials; a finished experiment reruns nothing.
            List<StoredTrial> more = ProcessExperiment.builder().store(store)
                    .spec(spec("resume", spec.command(), 8)).tuner(new TpeTuner(SPACE, 1, 4, 24)).build().run();
            assertEquals(8, more.size());
            assertEquals(trials, more.subList(0, 6));
        }
    }

    /** The Java trial API: a JVM trial process reading its parameters and reporting through {@link TrialProcess}. */
    @Test
    void javaTrialsUseTheTrialApi() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), JavaTrialMain.class.getName());
        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            trials = ProcessExperiment.builder().store(store).spec(spec("java", command, 2)).tuner(new RandomTuner(SPACE, 5))
                    .concurrency(2).build().run();
        }
        for (StoredTrial t : trials) {
            assertEquals("SUCCEEDED", t.status(), t.error());
            assertEquals(TrialScripts.quadratic(t.parameters()), t.value(), 1e-12);
            assertEquals(List.of(t.value() * 2, t.value() * 1.5), t.intermediates());
        }
    }

    public static final class JavaTrialMain {
        public static void main(String[] args) {
            double f = TrialScripts.quadratic(TrialProcess.parameters());
            TrialProcess.reportIntermediate(f * 2);
            TrialProcess.reportIntermediate(f * 1.5);
            TrialProcess.reportFinal(f);
        }
    }
}
