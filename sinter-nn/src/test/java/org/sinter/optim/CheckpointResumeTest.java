package org.sinter.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Linear;
import org.sinter.nn.io.Checkpoint;
import org.sinter.optim.lr.LinearLR;
import org.sinter.optim.lr.SequentialLR;
import org.sinter.optim.lr.StepLR;

/** Training resumes exactly from a real checkpoint file: model, AdamW state and a chained scheduler. */
class CheckpointResumeTest {

    private static void trainStep(Linear model, Optimizer opt, Tensor x) {
        opt.zeroGrad();
        model.forward(x).pow(2).mean().backward();
        opt.step();
    }

    @Test
    void resumesFromCheckpointFile(@TempDir Path dir) throws Exception {
        Sinter.manualSeed(21);
        Tensor x = Tensor.randn(8, 4);
        Linear a = new Linear(4, 3);
        AdamW optA = new AdamW(a.parameters(), AdamW.options().lr(0.05).amsgrad(true));
        SequentialLR schedA = new SequentialLR(optA, List.of(new LinearLR(optA, 0.5, 1, 2), new StepLR(optA, 2, 0.5)), new int[] {2});
        for (int i = 0; i < 3; i++) {
            trainStep(a, optA, x);
            schedA.step();
        }
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.builder().model(a.stateDict()).optimizer(optA).scheduler(schedA).epoch(3).build().save(file);

        Linear b = new Linear(4, 3);
        AdamW optB = new AdamW(b.parameters(), AdamW.options().lr(0.05).amsgrad(true));
        SequentialLR schedB = new SequentialLR(optB, List.of(new LinearLR(optB, 0.5, 1, 2), new StepLR(optB, 2, 0.5)), new int[] {2});
        Checkpoint ck = Checkpoint.load(file);
        b.loadStateDict(ck.modelState(), true);
        ck.restore(optB, schedB, null);
        assertEquals(optA.paramGroups().get(0).lr(), optB.paramGroups().get(0).lr(), 1e-15);
        for (int i = 0; i < 3; i++) {
            trainStep(a, optA, x);
            schedA.step();
            trainStep(b, optB, x);
            schedB.step();
            assertEquals(optA.paramGroups().get(0).lr(), optB.paramGroups().get(0).lr(), 1e-15);
        }
        assertTrue(a.weight.equal(b.weight) && a.bias.equal(b.bias), "resumed training diverged");
    }
}
