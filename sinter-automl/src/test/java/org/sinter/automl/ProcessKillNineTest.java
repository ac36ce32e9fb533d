package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.StoredTrial;

/**
 * Issue 17's crash bar for the process manager: the manager (a child JVM, its trials Python
 * processes) is killed with SIGKILL at random moments 10 times during a 40-trial experiment and
 * restarted each time; the SQLite journal must end with exactly 40 completed trials, each completed
 * once, each with the result its own parameters give.
 */
class ProcessKillNineTest {
    @TempDir Path dir;

    @Test
    void tenKillsOfTheManagerLoseAndDuplicateNothing() throws Exception {
        Path db = dir.resolve("hpo.db");
        Path script = TrialScripts.quadratic(dir, 3, 40);
        Random random = new Random(17);
        int kills = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240); // a hang guard, not a speed check
        for (int attempt = 0; attempt < 40 && kills < 10 && System.nanoTime() < deadline; attempt++) {
            int before = progress(db);
            Process manager = start(db, script);
            // Once this run has journaled something (JVM start-up takes a while), kill it 50-400 ms later.
            while (manager.isAlive() && progress(db) <= before && System.nanoTime() < deadline) Thread.sleep(10);
            if (manager.waitFor(50 + random.nextInt(350), TimeUnit.MILLISECONDS)) {
                assertEquals(0, manager.exitValue(), () -> "the manager finished with an error; its output:\n" + managerLog(db));
                break;
            }
            manager.destroyForcibly().waitFor();
            kills++;
        }
        Process last = start(db, script);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS), "the last manager run hung");
        assertEquals(0, last.exitValue(), () -> "the last manager run failed; its output:\n" + managerLog(db));

        List<StoredTrial> trials;
        try (ExperimentStore store = ExperimentStore.open(db)) {
            trials = store.trials("killed");
        }
        assertEquals(KilledProcessManagerMain.TRIALS, trials.size());
        assertEquals(KilledProcessManagerMain.TRIALS, new HashSet<>(trials.stream().map(StoredTrial::id).toList()).size());
        int attempts = 0;
        for (StoredTrial t : trials) {
            assertEquals("SUCCEEDED", t.status(), "trial " + t.id() + ": " + t.error());
            assertEquals(TrialScripts.quadratic(t.parameters()), t.value(), 1e-12, "trial " + t.id());
            assertEquals(3, t.intermediates().size(), "trial " + t.id() + "'s last attempt's intermediates");
            attempts += t.attempts();
        }
        assertEquals(10, kills, "the experiment finished before ten kills landed");
        System.out.printf("process manager kill -9: %d kills, %d trial launches for %d completed trials%n", kills, attempts, trials.size());
    }

    /** Trial launches plus intermediate results recorded so far: grows whenever the manager journals. */
    private static int progress(Path db) throws Exception {
        if (!db.toFile().exists()) return 0;
        try (ExperimentStore store = ExperimentStore.open(db)) {
            int n = 0;
            for (StoredTrial t : store.trials("killed")) n += t.attempts() + t.intermediates().size() + (t.finished() ? 1 : 0);
            return n;
        } catch (Exception e) {
            return 0; // the schema is being created by the manager right now
        }
    }

    private static Process start(Path db, Path script) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KilledProcessManagerMain.class.getName(),
                db.toString(), script.toString())
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
