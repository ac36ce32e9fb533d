package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, item 11: two charlm runs with one seed write the same losses and the same model bytes,
 * the second in a JVM whose kernels the first warmed up (C2-compiled transcendentals give the
 * interpreter's bits; safetensors headers are written in a fixed order).
 */
class ReproducibilityTest {
    @Test
    void charlmRunsWithOneSeedAreIdenticalBeforeAndAfterWarmUp(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        for (Path out : new Path[] {a, b}) {
            var r = Cli.run("train", "--model", "charlm", "--epochs", "1", "--max-steps", "3", "--seed", "5", "--threads", "2", "--out", out.toString());
            assertEquals(0, r.exit(), r.toString());
        }
        assertEquals(Files.readString(a.resolve("steps.csv")), Files.readString(b.resolve("steps.csv")));
        assertArrayEquals(Files.readAllBytes(a.resolve("model.safetensors")), Files.readAllBytes(b.resolve("model.safetensors")));
    }
}
