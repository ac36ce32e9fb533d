package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --compile}: the compiled forward-and-backward step trains exactly as eager does (dropout included). */
class CompiledTrainingTest {
    @Test
    void compiledTrainingGivesTheEagerRunBitForBit(@TempDir Path dir) throws Exception {
        assertSameRun(dir, "train", "--model", "lab1cnn", "--epochs", "1", "--max-steps", "4", "--batch-size", "16", "--threads", "2",
                "--checkpoint-every", "0");
    }

    @Test
    void compiledGptTrainingGivesTheEagerRunBitForBit(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("text.txt"), CharLmVocabularyTest.TEXT);
        assertSameRun(dir, "train", "--model", "gpt", "--dataset", text.toString(), "--epochs", "1", "--max-steps", "3", "--batch-size", "4",
                "--threads", "2", "--checkpoint-every", "0");
    }

    /** The run of {@code common} eager and with --compile: the same losses step by step, the same model bytes. */
    private static void assertSameRun(Path dir, String... common) throws Exception {
        Path eager = dir.resolve("eager"), compiled = dir.resolve("compiled");
        var e = Cli.run(concat(common, "--out", eager.toString()));
        assertEquals(0, e.exit(), e.toString());
        var c = Cli.run(concat(common, "--out", compiled.toString(), "--compile"));
        assertEquals(0, c.exit(), c.toString());
        assertTrue(c.out().contains("compiled training"), c.out());
        assertEquals(Files.readString(eager.resolve("steps.csv")), Files.readString(compiled.resolve("steps.csv")));
        assertArrayEquals(Files.readAllBytes(eager.resolve("model.safetensors")), Files.readAllBytes(compiled.resolve("model.safetensors")));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
