package org.sinter.serve.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * Platform {@code sinter-compiled} compiles with frozen parameters (weights packed once): its
 * answers agree with the module's eager forward at batch sizes that take each GEMM path (one row,
 * a few rows, a partial row tile, a full one).
 */
class CompiledRunnerTest {
    @Test
    void frozenCompiledForwardAgreesWithTheEagerOne() {
        Sinter.manualSeed(3);
        Module m = new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
        m.eval();
        CompiledRunner runner = new CompiledRunner(m);
        for (int batch : new int[] {1, 3, 8, 13, 32}) {
            Tensor x = Tensor.rand(batch, 1, 28, 28);
            Tensor[] got = runner.run(new Tensor[] {x});
            Tensor want;
            try (var _ = Sinter.noGrad()) {
                want = m.forward(x);
            }
            assertEquals(1, got.length);
            assertArrayEquals(want.shape(), got[0].shape(), "batch " + batch);
            Tensor gc = got[0].contiguous(), wc = want.contiguous();
            float[] g = gc.storage().floats(), w = wc.storage().floats();
            int go = gc.storageOffset(), wo = wc.storageOffset();
            for (int i = 0; i < batch * 10; i++)
                assertEquals(w[wo + i], g[go + i], 1e-4f * Math.max(1f, Math.abs(w[wo + i])), "batch " + batch + " element " + i);
        }
    }
}
