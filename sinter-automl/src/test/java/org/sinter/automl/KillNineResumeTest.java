package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * Issue 17's bar, in small: the experiment runs in a child JVM that is killed with SIGKILL at random
 * moments, ten times, and restarted each time; the journal must end with exactly 40 completed
 * trials and no trial completed twice.
 */
class KillNineResumeTest {
    @TempDir Path dir;

    @Test
    void tenKillsLoseAndDuplicateNothing() throws Exception {
        Path journal = dir.resolve("experiment.jsonl");
        Random random = new Random(17);
        int kills = 0;
        for (int attempt = 0; attempt < 30 && kills < 10; attempt++) {
            long before = Files.exists(journal) ? Files.size(journal) : 0;
            Process child = start(journal);
            // Wait until this run has journaled something (JVM start-up takes a few hundred ms),
            // then kill it somewhere in the next 50-250 ms, mid-trial or mid-write.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (child.isAlive() && (Files.exists(journal) ? Files.size(journal) : 0) <= before && System.nanoTime() < deadline)
                Thread.sleep(5);
            if (child.waitFor(50 + random.nextInt(200), TimeUnit.MILLISECONDS)) {
                assertEquals(0, child.exitValue(), "the experiment finished with an error");
                break;
            }
            child.destroyForcibly().waitFor();
            kills++;
        }
        Process last = start(journal);
        assertTrue(last.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, last.exitValue());

        List<Integer> ended = new ArrayList<>();
        int starts = 0;
        for (String line : Files.readAllLines(journal)) {
            JsonNode r = SearchSpaceJson.MAPPER.readTree(line);
            switch (r.get("event").asText()) {
                case "end" -> ended.add(r.get("trial").asInt());
                case "start" -> starts++;
                default -> {}
            }
        }
        Set<Integer> distinct = new HashSet<>(ended);
        assertEquals(ended.size(), distinct.size(), "a trial completed twice: " + ended);
        assertEquals(KilledExperimentMain.TRIALS, distinct.size());
        assertEquals(10, kills, "the experiment finished before ten kills landed");
        System.out.printf("kill -9 resume: %d kills, %d trial starts for %d completed trials%n", kills, starts, distinct.size());
    }

    private static Process start(Path journal) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledExperimentMain.class.getName(), journal.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
