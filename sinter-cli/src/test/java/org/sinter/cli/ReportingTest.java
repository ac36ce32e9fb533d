package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, items 15 and 16: one-line errors with exit 2 or 1 (a trace only with --debug), and no claim of work not done. */
class ReportingTest {
    @Test
    void errorsAreOneLineWithoutATrace(@TempDir Path tmp) {
        Cli.Result usage = Cli.run("train", "--batch-size", "zero");
        assertEquals(2, usage.exit(), usage.toString());
        assertTrue(usage.err().startsWith("sinter: train: "), usage.err());
        assertFalse(usage.hasStackTrace());

        Cli.Result failure = Cli.run("eval", "--model-file", tmp.resolve("nope").toString());
        assertEquals(1, failure.exit(), failure.toString());
        assertEquals(1, failure.err().lines().count(), failure.err());
        assertTrue(failure.err().startsWith("sinter: eval: "), failure.err());
    }

    @Test
    void debugAddsTheTraceBeforeOrAfterTheSubcommand(@TempDir Path tmp) {
        for (String[] args : new String[][] {{"--debug", "eval", "--model-file", tmp.resolve("nope").toString()},
                {"eval", "--debug", "--model-file", tmp.resolve("nope").toString()}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.hasStackTrace(), r.toString());
            assertTrue(r.err().strip().endsWith("train one first (./sinter train) or pass --model-file"), r.err());
        }
    }

    @Test
    void anEmptyCheckpointDirectoryFails(@TempDir Path tmp) {
        Cli.Result r = Cli.run("checkpoint", tmp.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("no checkpoints found in " + tmp), r.out());
    }

    @Test
    void profileOfAShortEpochSaysSoAndWritesIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("p");
        Cli.Result r = Cli.trainMlp(out, "--max-steps", "3", "--profile");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("the epoch has only 3 steps") && r.out().contains("profile of steps 0-2"), r.out());
        for (String f : new String[] {"profile.txt", "trace.json", "model.dot", "loss.png", "accuracy.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
    }

    @Test
    void theSummaryNamesOnlyFilesThatExist(@TempDir Path tmp) {
        Path out = tmp.resolve("s");
        Cli.Result r = Cli.trainMlp(out, "--checkpoint-every", "0");
        assertEquals(0, r.exit(), r.toString());
        String wrote = r.out().lines().filter(l -> l.startsWith("wrote ")).findFirst().orElseThrow();
        for (String f : new String[] {"model.safetensors", "loss.png", "accuracy.png", "steps.csv", "epochs.csv"}) {
            assertTrue(wrote.contains(f) == Files.exists(out.resolve(f)), f + " in " + wrote);
        }
        assertTrue(wrote.contains("checkpoint") == Files.exists(out.resolve("checkpoint/last.safetensors")), wrote);
    }
}
