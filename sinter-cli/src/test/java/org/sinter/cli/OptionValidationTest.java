package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 8, item 9 (and 17's --out): every numeric option is checked before anything runs; data too small for a batch is an error. */
class OptionValidationTest {
    @ParameterizedTest
    @CsvSource({"--epochs,0", "--epochs,-3", "--batch-size,0", "--lr,-1", "--lr,0", "--lr,Infinity", "--lr,NaN", "--gamma,-1",
            "--gamma,0", "--gamma,1.5", "--threads,0", "--workers,-1", "--checkpoint-every,-1", "--max-steps,-1", "--optimizer,lbfgs",
            "--dataset,cifar", "--model,resnet", "--device,tpu", "--device,meta", "--device,cuda:-1"})
    void badOptionIsAUsageErrorAndWritesNothing(String option, String value, @TempDir Path tmp) {
        Path out = tmp.resolve("run");
        Cli.Result r = Cli.run("train", "--model", "mlp", option, value, "--out", out.toString());
        if (option.equals("--model")) r = Cli.run("train", option, value, "--out", out.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("sinter: train: " + option), r.err());
        assertFalse(r.hasStackTrace(), r.err());
        assertFalse(Files.exists(out), "nothing created");
    }

    @Test
    void outThatIsAFileIsAUsageError(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        Cli.Result r = Cli.trainMlp(file);
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--out " + file + ": is a file"), r.err());
        assertEquals("x", Files.readString(file));
    }

    @Test
    void fewerExamplesThanOneBatchIsAnErrorNotAZeroStepRun(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("t.txt"), CharLmVocabularyTest.TEXT);
        Cli.Result r = Cli.run("train", "--model", "charlm", "--dataset", text.toString(), "--batch-size", "100000", "--out",
                tmp.resolve("run").toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("fewer than one batch of 100000"), r.err());
        assertFalse(Files.exists(tmp.resolve("run/steps.csv")));
    }

    @Test
    void anEmptyTextIsAnError(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("empty.txt"), "");
        Cli.Result r = Cli.run("train", "--model", "charlm", "--dataset", text.toString(), "--out", tmp.resolve("run").toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("0 characters is too short"), r.err());
    }

    @Test
    void aGpuRunWhereThereIsNoneIsRefusedWithTheReason(@TempDir Path tmp) {
        org.junit.jupiter.api.Assumptions.assumeFalse(org.sinter.cuda.Cuda.isAvailable(), "this machine has a GPU");
        Path out = tmp.resolve("run");
        Cli.Result r = Cli.run("train", "--model", "mlp", "--device", "cuda", "--out", out.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().startsWith("sinter: train: --device cuda: CUDA is not available: "), r.err());
        assertFalse(Files.exists(out), "nothing created");
    }
}
