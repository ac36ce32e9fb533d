package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.fidelity.Job;
import org.sinter.automl.fidelity.MultiFidelityScheduler;
import org.sinter.automl.fidelity.Schedulers;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.StoredTrial;

/**
 * The crash bar for multi-fidelity experiments: the manager running ASHA over checkpointing trial processes is
 * SIGKILLed 6 times at random moments and restarted; replaying the journal into a new scheduler must continue the
 * experiment exactly: the journal ends with the very jobs (configuration, rung, parameters, in order) that the same
 * scheduler issues when driven without interruption, each completed once with the loss its budget gives.
 */
class ProcessSchedulerKillNineTest {
    @TempDir Path dir;

    @Test
    void killedAshaExperimentResumesTheSameSchedule() throws Exception {
        Path db = dir.resolve("hpo.db"), checkpoints = dir.resolve("checkpoints");
        Path script = TrialScripts.learningCurve(dir, 30);
        Random random = new Random(5);
        int kills = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240); // a hang guard, not a speed check
        for (int attempt = 0; attempt < 30 && kills < 6 && System.nanoTime() < deadline; attempt++) {
            int before = progress(db);
            Process manager = start(db, script, checkpoints);
            while (manager.isAlive() && progress(db) <= before && System.nanoTime() < deadline) Thread.sleep(10);
            if (manager.waitFor(50 + random.nextInt(300), TimeUnit.MILLISECONDS)) {
                assertEquals(0, manager.exitValue(), () -> "the manager finished with an error; its output:\n" + managerLog(db));
                break;
            }
            manager.destroyForcibly().waitFor();
            kills++;
        }
        Process last = start(db, script, checkpoints);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last manager run hung");
        assertEquals(0, last.exitValue(), () -> "the last manager run failed; its output:\n" + managerLog(db));

        List<StoredTrial> jobs;
        try (ExperimentStore store = ExperimentStore.open(db)) {
            jobs = store.trials("killed-asha");
        }
        // The uninterrupted schedule: the same scheduler, one job at a time, told the losses the trial script reports.
        MultiFidelityScheduler reference = Schedulers.create(KilledSchedulerMain.SETTINGS, ProcessExperimentTest.SPACE, 3);
        List<String> expected = new ArrayList<>();
        for (var next = reference.next(); next.isPresent(); next = reference.next()) {
            Job j = next.get();
            expected.add(j.config() + "@" + j.rung() + " " + canonical(j.parameters()));
            reference.report(j, TrialScripts.learningCurve(j.parameters(), j.budget()));
        }
        List<String> actual = new ArrayList<>();
        int attempts = 0;
        for (StoredTrial t : jobs) {
            actual.add(t.budget().config() + "@" + t.budget().rung() + " " + canonical(t.parameters()));
            assertEquals("SUCCEEDED", t.status(), "trial " + t.id() + ": " + t.error());
            assertEquals(TrialScripts.learningCurve(t.parameters(), t.budget().budget()), t.value(), 1e-12, "trial " + t.id());
            attempts += t.attempts();
        }
        assertEquals(expected, actual);
        assertEquals(6, kills, "the experiment finished before six kills landed");
        System.out.printf("ASHA process manager kill -9: %d kills, %d job launches for %d jobs%n", kills, attempts, jobs.size());
    }

    private static String canonical(java.util.Map<String, Object> p) {
        try {
            return org.sinter.automl.space.SearchSpaceJson.MAPPER.writeValueAsString(
                    org.sinter.automl.space.SearchSpaceJson.MAPPER.valueToTree(p));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Job launches plus intermediate results plus ends journaled so far: grows whenever the manager journals. */
    private static int progress(Path db) {
        if (!db.toFile().exists()) return 0;
        try (ExperimentStore store = ExperimentStore.open(db)) {
            int n = 0;
            for (StoredTrial t : store.trials("killed-asha")) n += t.attempts() + t.intermediates().size() + (t.finished() ? 1 : 0);
            return n;
        } catch (Exception e) {
            return 0; // the schema is being created by the manager right now
        }
    }

    private static Process start(Path db, Path script, Path checkpoints) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KilledSchedulerMain.class.getName(),
                db.toString(), script.toString(), checkpoints.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(db.resolveSibling("manager.log").toFile())).start();
    }

    /** What every manager run printed (appended run after run), for the failure messages. */
    private static String managerLog(Path db) {
        try {
            String log = java.nio.file.Files.readString(db.resolveSibling("manager.log"));
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
