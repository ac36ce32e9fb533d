package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.CheckpointDirectory;
import org.sinter.nn.io.DirectoryLock;

/** Issue 8, items 1-3: a run directory is never damaged by a refused run, replaced silently, or shared by two runs. */
class RunDirectorySafetyTest {
    @TempDir
    static Path shared;
    static Path run;
    static Map<String, String> before;

    @BeforeAll
    static void trainOnce() {
        run = shared.resolve("mlp");
        Cli.Result r = Cli.trainMlp(run);
        assertEquals(0, r.exit(), r.toString());
        before = Cli.fingerprint(run);
        assertTrue(before.containsKey("model.safetensors") && before.containsKey("steps.csv"), before.toString());
    }

    @Test
    void item1RejectedOptionsLeaveTheRunUntouched() {
        for (String[] bad : new String[][] {{"--batch-size", "0"}, {"--epochs", "0"}, {"--lr", "-1"}, {"--gamma", "0"}}) {
            Cli.Result r = Cli.trainMlp(run, bad);
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains(bad[0]), r.err());
            assertEquals(before, Cli.fingerprint(run), "run files changed by " + String.join(" ", bad));
        }
    }

    @Test
    void item2PlainTrainIntoAnExistingRunIsRefused(@TempDir Path tmp) throws Exception {
        Cli.Result r = Cli.trainMlp(run);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("already holds a run") && r.err().contains("--overwrite") && r.err().contains("--resume"), r.err());
        assertEquals(before, Cli.fingerprint(run));

        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        Files.copy(run.resolve("steps.csv"), copy.resolve("steps.csv"));
        Files.writeString(copy.resolve("steps.csv"), "step,epoch,loss,lr\n1,1,9.0,0.1\n");
        Cli.Result o = Cli.trainMlp(copy, "--overwrite");
        assertEquals(0, o.exit(), o.toString());
        assertFalse(Files.readString(copy.resolve("steps.csv")).contains("9.0"), "--overwrite starts a fresh history");
    }

    @Test
    void item2ResumeWithoutACheckpointRestartsOnlyARunKilledBeforeItsFirst(@TempDir Path tmp) throws Exception {
        Path killed = tmp.resolve("killed");
        Files.createDirectories(killed);
        Files.writeString(killed.resolve("steps.csv"), "step,epoch,loss,lr\n1,1,2.3,0.001\n");
        Cli.Result r = Cli.trainMlp(killed, "--resume");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("starting fresh"), r.out());

        Path trained = tmp.resolve("trained");
        Files.createDirectories(trained);
        Files.copy(run.resolve("model.safetensors"), trained.resolve("model.safetensors"));
        var fp = Cli.fingerprint(trained);
        Cli.Result refused = Cli.trainMlp(trained, "--resume");
        assertEquals(2, refused.exit(), refused.toString());
        assertTrue(refused.err().contains("no checkpoint to resume from"), refused.err());
        assertEquals(fp, Cli.fingerprint(trained));
    }

    @Test
    void item3ALockedRunDirectoryIsRefusedWithThePid(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("busy");
        try (DirectoryLock _ = DirectoryLock.acquire(dir)) {
            Cli.Result r = Cli.trainMlp(dir);
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("run directory " + dir + " is in use by another sinter process (pid "
                    + ProcessHandle.current().pid() + ")"), r.err());
            assertFalse(Files.exists(dir.resolve("steps.csv")), "the refused run wrote nothing");
        }
        assertEquals(0, Cli.trainMlp(dir).exit(), "free again once the holder is gone");
    }

    @Test
    void item3StaleTempCleanupNeverTouchesALiveWritersTemporaryFile(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("checkpoint");
        Files.createDirectories(dir);
        Path liveTemp = dir.resolve(".last.safetensors.12345.tmp");
        Files.writeString(liveTemp, "being written by another process");
        try (DirectoryLock _ = DirectoryLock.acquire(dir)) {
            var e = assertThrows(DirectoryLock.HeldException.class, () -> new CheckpointDirectory(dir).save(Checkpoint.builder().build()));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
            assertTrue(Files.exists(liveTemp), "a live writer's temporary file survives");
        }
        new CheckpointDirectory(dir).save(Checkpoint.builder().build());
        assertFalse(Files.exists(liveTemp), "once no one holds the directory, the leftover is stale and cleaned up");
    }
}
