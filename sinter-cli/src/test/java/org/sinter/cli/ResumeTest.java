package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.Tensor;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.CheckpointDirectory;
import org.sinter.nn.io.StateSnapshot;

/**
 * Issue 8, items 9 and 13: a resumed run keeps its hyper-parameters or refuses, a finished run
 * has nothing to do, and a damaged checkpoint is rejected at load naming the file and the field.
 */
class ResumeTest {
    @TempDir
    static Path shared;
    static Path run;
    static Checkpoint good;

    @BeforeAll
    static void trainOnce() throws IOException {
        run = shared.resolve("mlp");
        // Two epochs of 3 steps with a checkpoint after step 4: mid-epoch 2.
        Cli.Result r = Cli.trainMlp(run, "--epochs", "2", "--max-steps", "3", "--checkpoint-every", "4");
        assertEquals(0, r.exit(), r.toString());
        good = Checkpoint.load(run.resolve("checkpoint/last.safetensors"));
    }

    private static Path copyRun(Path tmp) throws IOException {
        Path dir = tmp.resolve("copy");
        Files.createDirectories(dir.resolve("checkpoint"));
        for (String f : new String[] {"steps.csv", "epochs.csv", "model.safetensors", "checkpoint/last.safetensors"}) {
            Files.copy(run.resolve(f), dir.resolve(f));
        }
        return dir;
    }

    @Test
    void finishedRunHasNothingToDo(@TempDir Path tmp) throws IOException {
        Path dir = copyRun(tmp);
        var before = Cli.fingerprint(dir);
        Cli.Result r = Cli.trainMlp(dir, "--epochs", "2", "--resume");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("already finished 2 epochs; nothing to do"), r.out());
        assertFalse(r.out().contains("NaN") || r.out().contains("epoch 3"), r.out());
        assertEquals(before, Cli.fingerprint(dir));
    }

    @Test
    void resumeWithAnotherBatchSizeOptimizerOrLrIsRefusedNamingTheRunsValue(@TempDir Path tmp) throws IOException {
        Path dir = copyRun(tmp);
        var before = Cli.fingerprint(dir);
        Object[][] cases = {{"--batch-size", "64", "128"}, {"--optimizer", "sgd", "adam"}, {"--lr", "0.5", "0.001"}, {"--gamma", "0.5", "0.7"},
                {"--dataset", "fashion-mnist", "mnist"}};
        for (Object[] c : cases) {
            Cli.Result r = Cli.trainMlp(dir, "--epochs", "3", "--resume", (String) c[0], (String) c[1]);
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.err().contains((String) c[0]) && r.err().contains((String) c[2]), r.err());
            assertEquals(before, Cli.fingerprint(dir));
        }
        Cli.Result same = Cli.trainMlp(dir, "--epochs", "3", "--resume", "--batch-size", "128", "--lr", "0.001");
        assertEquals(0, same.exit(), "the run's own values are accepted: " + same);
    }

    /** The optimizer-state check learns each optimizer's tensors from the optimizer itself: every one resumes. */
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "adam", "adamw", "adadelta", "rmsprop", "adagrad"})
    void everyOptimizersStatePassesTheCheck(String optimizer, @TempDir Path tmp) {
        Path dir = tmp.resolve(optimizer);
        assertEquals(0, Cli.trainMlp(dir, "--optimizer", optimizer, "--max-steps", "3", "--checkpoint-every", "2").exit());
        Cli.Result r = Cli.trainMlp(dir, "--epochs", "2", "--max-steps", "3", "--resume");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("resumed from"), r.out());
    }

    @Test
    void resumeTakesTheRunsBatchSizeWhenNotGiven(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("b32");
        assertEquals(0, Cli.trainMlp(dir, "--batch-size", "32", "--max-steps", "3", "--checkpoint-every", "2").exit());
        Cli.Result r = Cli.trainMlp(dir, "--epochs", "2", "--max-steps", "3", "--resume");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("batch 32"), r.out());
    }

    /** Writes {@code good} with changes as the run's last checkpoint and resumes; the error must name the file and field. */
    private static Cli.Result resumeCrafted(Path tmp, Consumer<Checkpoint.Builder> extra, Map<String, Tensor> optTensors) throws IOException {
        Path dir = copyRun(tmp);
        Checkpoint.Builder b = Checkpoint.builder().model(good.modelState()).rngState(good.rngState()).epoch(good.epoch()).step(good.step())
                .optimizer(new StateSnapshot(optTensors != null ? optTensors : good.optimizerState().tensors(), good.optimizerState().values()))
                .scheduler(good.schedulerState());
        good.extra().forEach(b::extra);
        extra.accept(b);
        Files.delete(dir.resolve("checkpoint/last.safetensors"));
        new CheckpointDirectory(dir.resolve("checkpoint")).save(b.build());
        Cli.Result r = Cli.trainMlp(dir, "--epochs", "3", "--resume");
        assertEquals(1, r.exit(), r.toString());
        assertFalse(r.hasStackTrace(), r.err());
        assertTrue(r.err().contains(dir.resolve("checkpoint/last.safetensors").toString()), "names the file: " + r.err());
        return r;
    }

    @Test
    void malformedMetadataIsRejectedNamingTheField(@TempDir Path tmp) throws IOException {
        assertTrue(resumeCrafted(tmp.resolve("a"), b -> b.extra("batch_in_epoch", "abc"), null).err().contains("\"extra.batch_in_epoch\" is abc"));
        assertTrue(resumeCrafted(tmp.resolve("b"), b -> b.extra("loader_state", "1,2"), null).err().contains("\"extra.loader_state\""));
        assertTrue(resumeCrafted(tmp.resolve("c"), b -> b.extra("running", "1,x"), null).err().contains("\"extra.running\""));
        assertTrue(resumeCrafted(tmp.resolve("d"), b -> b.epoch(1L << 40), null).err().contains("\"epoch\" is 1099511627776"));
        assertTrue(resumeCrafted(tmp.resolve("e"), b -> b.extra("batch_in_epoch", "99"), null).err().contains("\"extra.batch_in_epoch\" is 99"));
    }

    @Test
    void incompleteOrMisshapenOptimizerStateIsRejectedAtLoad(@TempDir Path tmp) throws IOException {
        Map<String, Tensor> missing = new LinkedHashMap<>(good.optimizerState().tensors());
        assertNotNull(missing.remove("state.1.exp_avg_sq"), missing.keySet().toString());
        assertTrue(resumeCrafted(tmp.resolve("a"), b -> {}, missing).err().contains("\"state.1.exp_avg_sq\" is missing"));

        Map<String, Tensor> shaped = new LinkedHashMap<>(good.optimizerState().tensors());
        shaped.put("state.0.exp_avg", Tensor.zeros(1));
        String err = resumeCrafted(tmp.resolve("b"), b -> {}, shaped).err();
        assertTrue(err.contains("\"state.0.exp_avg\" is") && err.contains("[512, 784]"), err);
    }
}
