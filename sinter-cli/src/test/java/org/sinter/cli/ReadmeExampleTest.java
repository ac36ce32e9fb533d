package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.MNIST;
import org.sinter.data.transforms.Normalize;
import org.sinter.data.transforms.ToTensor;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;
import org.sinter.nn.io.SafeTensors;
import org.sinter.optim.Adam;

/** The README's training loop, as written there, learns: the loss falls over 60 batches. */
class ReadmeExampleTest {
    @Test
    void readmeTrainingLoopLearns(@TempDir Path dir) throws Exception {
        Sinter.manualSeed(1);
        var model = new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 10));
        var optimizer = new Adam(model.parameters(), 1e-3);
        var toTensor = new ToTensor().andThen(new Normalize(new double[] {MNIST.MEAN}, new double[] {MNIST.STD}));
        var loader = DataLoader.builder(MNIST.train().withTransform(toTensor)).batchSize(128).shuffle(true).build();

        double first = 0, last = 0;
        int step = 0;
        for (Batch batch : loader) {
            optimizer.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(batch.input()), batch.target());
            loss.backward();
            optimizer.step();
            if (step < 10) first += loss.item() / 10;
            if (step >= 50) last += loss.item() / 10;
            if (++step == 60) break;
        }
        assertTrue(last < first * 0.5, "loss fell from " + first + " to " + last);
        Path file = dir.resolve("mlp.safetensors");
        SafeTensors.save(model.stateDict(), file, Map.of());
        assertTrue(Files.size(file) > 4 * (784 * 512 + 512 + 512 * 10 + 10), "all parameters written");
    }
}
