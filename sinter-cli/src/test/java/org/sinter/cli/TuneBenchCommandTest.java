package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinter bench tune}: both targets run a short search end to end and print the re-measured gain. */
class TuneBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void tunesTheIndexMixAndJournalsTheTrials() throws Exception {
        Path journal = dir.resolve("mix.jsonl");
        Cli.Result r = Cli.run("bench", "tune", "--target", "mix", "--n", "20k", "--ops", "10k", "--trials", "3", "--rounds", "1",
                "--journal", journal.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("gain of the tuned setting over the defaults"), r.toString());
        assertTrue(r.out().lines().filter(l -> l.startsWith("trial ")).count() == 3, r.toString());
        assertFalse(Files.readAllLines(journal).isEmpty());
    }

    @Test
    void tunesATrainingStepAJvmPerTrial() {
        Cli.Result r = Cli.run("bench", "tune", "--target", "training", "--model", "mlp", "--batch", "8", "--warmup", "1",
                "--steps", "2", "--trials", "2", "--rounds", "1", "--journal", dir.resolve("t.jsonl").toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("steps/s") && r.out().contains("gain of the tuned setting"), r.toString());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Cli.Result r = Cli.run("bench", "tune", "--target", "gc");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--target must be training or mix, got 'gc'"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
        r = Cli.run("bench", "tune", "--model", "resnet");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("model must be cnn or mlp, got 'resnet'"), r.toString());
    }
}
