package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.automl.examples.Cutout;
import org.sinter.automl.examples.FashionMnistTrial;
import org.sinter.data.datasets.FashionMNIST;

/** Lab 8's trial program on Debian's Fashion-MNIST (skipped when dataset-fashion-mnist is not installed). */
class FashionMnistTrialTest {
    @TempDir Path dir;
    static FashionMNIST data;

    @BeforeAll
    static void load() throws Exception {
        Assumptions.assumeTrue(FashionMNIST.isInstalled(), "Debian's dataset-fashion-mnist is not installed");
        data = FashionMNIST.loadInstalled();
    }

    static Map<String, Object> parameters(Map<String, Object> model, int cutout) {
        return Map.of("lr", 0.003, "weight_decay", 1e-5, "batch_size", 64, "optimizer", "adam", "model", model,
                "grad_clip", 1, "cutout", cutout);
    }

    @Test
    void aPromotedTrialResumedFromItsCheckpointEqualsAnUninterruptedOne() throws Exception {
        var p = parameters(Map.of("_name", "mlp", "width", 64, "dropout", 0.2), 8);
        double straight = FashionMnistTrial.train(p, 2, Optional.of(dir.resolve("a")), data, 1000, 500, 7);
        double first = FashionMnistTrial.train(p, 1, Optional.of(dir.resolve("b")), data, 1000, 500, 7);
        double resumed = FashionMnistTrial.train(p, 2, Optional.of(dir.resolve("b")), data, 1000, 500, 7);
        // Weights, Adam's moments and the generator (shuffle order, dropout masks, cutout squares) all come back.
        assertEquals(straight, resumed, 0.0, "epoch 2 after resuming from epoch 1's checkpoint");
        assertTrue(straight > 0.6, "two epochs on 1 000 images reach 60% validation accuracy, got " + straight);
        assertTrue(first > 0.1, "better than chance after one epoch, got " + first);
        // Asking for a budget below the checkpoint's epoch is refused (a trial never trains backwards).
        var e = assertThrows(IllegalStateException.class, () -> FashionMnistTrial.train(p, 1, Optional.of(dir.resolve("b")), data, 1000, 500, 7));
        assertTrue(e.getMessage().contains("beyond the budget 1"), e.getMessage());
    }

    @Test
    void theCnnTrains() throws Exception {
        var p = parameters(Map.of("_name", "cnn", "channels", 8, "dropout", 0.1), 0);
        double accuracy = FashionMnistTrial.train(p, 1, Optional.empty(), data, 1000, 500, 3);
        assertTrue(accuracy > 0.5, "one CNN epoch on 1 000 images, got " + accuracy);
    }

    @Test
    void cutoutZeroesOneClippedSquare() {
        Tensor image = Tensor.ones(1, 28, 28);
        for (int seed = 0; seed < 50; seed++) {
            float[] out = new Cutout(8).apply(image, new Generator(seed)).toFloatArray();
            int zeros = 0;
            for (float v : out) if (v == 0f) zeros++;
            assertTrue(zeros >= 16 && zeros <= 64, "an 8x8 square clipped at the border at worst to 4x4, got " + zeros + " zeros");
        }
        assertEquals(1f, image.toFloatArray()[0], "the input is not modified");
        assertThrows(IllegalArgumentException.class, () -> new Cutout(8).apply(Tensor.ones(28, 28), new Generator(0)));
    }
}
