package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.examples.MnistSearch;
import org.sinter.automl.experiment.ExperimentResult;
import org.sinter.automl.experiment.TrialStatus;

class MnistSearchTest {
    @TempDir Path dir;

    @Test
    void tunesARealMlpOnMnist() throws Exception {
        ExperimentResult result = MnistSearch.run(dir.resolve("mnist.jsonl"), 6, 3, 2_000, 1_000, 2);
        assertEquals(6, result.trials().size());
        assertEquals(0, result.count(TrialStatus.FAILED));
        double best = result.best().orElseThrow().value();
        System.out.printf("MNIST MLP search (6 trials, 2000 images, 3 epochs): best validation accuracy %.4f, %d stopped early%n",
                best, result.count(TrialStatus.EARLY_STOPPED));
        assertTrue(best > 0.85, "best validation accuracy " + best);
    }
}
