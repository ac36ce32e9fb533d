package org.sinter.compress.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** The one-shot entry point a command line calls. */
class ModelPrunerTest {
    static Sequential cnn() {
        return new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Conv2d(8, 16, 3), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(16 * 4 * 4, 32), new ReLU(), new Linear(32, 10));
    }

    @Test
    void unstructuredPrunesInPlaceAndReports() {
        Sinter.manualSeed(21);
        Sequential model = cnn();
        PruneReport r = ModelPruner.prune(model, 0.9, false);
        assertSame(model, r.model());
        assertEquals(0.9, r.sparsity().globalSparsity(), 1e-4);
        assertEquals(r.parametersBefore() - r.sparsity().zeros(), r.parametersAfter());
        assertTrue(r.summary().contains("unstructured pruning: 90%"), r.summary());
        // Permanent: no masks left, the zeros are in the weights.
        model.forward(Tensor.randn(2, 1, 12, 12)).sum().backward();
        assertTrue(model.namedParameters().get("6.weight").grad() != null);
    }

    @Test
    void structuredReturnsASmallerModelThatRuns() {
        Sinter.manualSeed(22);
        Sequential model = cnn();
        PruneReport r = ModelPruner.prune(model, 0.5, true);
        assertNotSame(model, r.model());
        assertTrue(r.parametersAfter() < r.parametersBefore() / 3, r.summary());
        Module small = r.model();
        assertEquals(10, small.forward(Tensor.randn(2, 1, 12, 12)).size(1));
        assertTrue(r.summary().contains("keeps 4 of 8 channels"), r.summary());
        assertThrows(IllegalArgumentException.class, () -> ModelPruner.prune(model, 1.5, false));
        assertThrows(IllegalArgumentException.class, () -> ModelPruner.prune(new Linear(3, 2), 0.5, true));
    }
}
