package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, items 12 and 17: every file the command line reads is checked first (type, size,
 * readability), and every message names the file and says why, in one line.
 */
class InputFilesTest {
    @TempDir
    static Path shared;
    static Path run;

    @BeforeAll
    static void trainOnce() {
        run = shared.resolve("mlp");
        assertEquals(0, Cli.trainMlp(run).exit());
    }

    private static Path fifo(Path dir) throws Exception {
        Path f = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", f.toString()).start().waitFor());
        return f;
    }

    private static void assertFails(Cli.Result r, String... fragments) {
        assertEquals(1, r.exit(), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
        for (String f : fragments) assertTrue(r.err().contains(f) || r.out().contains(f), "'" + f + "' in " + r);
    }

    @Test
    void nonRegularFilesAreRefusedWithoutBlocking(@TempDir Path tmp) throws Exception {
        Path fifo = fifo(tmp);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            assertFails(Cli.run("checkpoint", fifo.toString()), fifo + ": FAILED — is not a regular file");
            assertFails(Cli.run("eval", "--model-file", fifo.toString()), "--model-file " + fifo + ": is not a regular file");
            assertFails(Cli.run("predict", "--model-file", run.resolve("model.safetensors").toString(), "--image", fifo.toString()),
                    "--image " + fifo + ": is not a regular file");
            assertFails(Cli.run("train", "--model", "charlm", "--dataset", "/dev/zero", "--out", tmp.resolve("r").toString()),
                    "--dataset /dev/zero: is not a regular file");
            assertFails(Cli.run("train", "--model", "charlm", "--dataset", fifo.toString(), "--out", tmp.resolve("r").toString()),
                    "is not a regular file");
        });
    }

    @Test
    void directoriesWhereFilesBelongAreNamed(@TempDir Path tmp) throws Exception {
        assertFails(Cli.run("eval", "--model-file", tmp.toString()), "--model-file " + tmp + ": is a directory");
        assertFails(Cli.run("predict", "--model-file", run.resolve("model.safetensors").toString(), "--image", tmp.toString()),
                "--image " + tmp + ": is a directory");
        assertFails(Cli.run("train", "--model", "charlm", "--dataset", tmp.toString(), "--out", tmp.resolve("r").toString()),
                "--dataset " + tmp + ": is a directory");
        Path notDir = Files.writeString(tmp.resolve("file"), "x");
        assertFails(Cli.trainMlp(tmp.resolve("r2"), "--data-dir", notDir.toString()), "--data-dir " + notDir + ": is not a directory");
        Files.createDirectories(tmp.resolve("data/train-images-idx3-ubyte.gz"));
        assertFails(Cli.trainMlp(tmp.resolve("r3"), "--data-dir", tmp.resolve("data").toString()), "train-images-idx3-ubyte.gz: is a directory");
    }

    @Test
    void notAnImageAndNotUtf8AreNamedWithTheReason(@TempDir Path tmp) throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.png"), "not an image");
        assertFails(Cli.run("predict", "--model-file", run.resolve("model.safetensors").toString(), "--image", junk.toString()),
                "--image " + junk + ": not an image format");
        Path latin1 = Files.write(tmp.resolve("latin1.txt"), "caf\u00e9 au lait".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertFails(Cli.run("train", "--model", "charlm", "--dataset", latin1.toString(), "--out", tmp.resolve("r").toString()),
                "--dataset " + latin1 + ": not UTF-8 text: invalid byte 0xE9 at byte offset 3");
        assertFails(Cli.run("eval", "--model-file", tmp.resolve("missing.safetensors").toString()), "missing.safetensors");
    }

    @Test
    void aCheckpointIsAcceptedWhereAModelFileIs() {
        Cli.Result r = Cli.run("predict", "--model-file", run.resolve("checkpoint/last.safetensors").toString(), "--index", "0");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("MNIST test image 0"), r.out());
    }
}
