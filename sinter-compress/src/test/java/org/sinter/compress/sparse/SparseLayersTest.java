package org.sinter.compress.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.prune.PruneTarget;
import org.sinter.compress.prune.Pruner;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** Sparse Linear and Conv2d give the dense layers' outputs, in every format, and the model conversion keeps the model's outputs. */
class SparseLayersTest {
    static void assertClose(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + " shape");
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], g[i], 1e-4f * (1 + Math.abs(w[i])), what + " at " + i);
    }

    static <M extends Module> M pruned(M m, double amount) {
        new Pruner().globalUnstructured(PruneTarget.weightsOf(m), amount);
        return m;
    }

    @Test
    void sparseLinearMatchesLinearInEveryFormat() {
        Sinter.manualSeed(3);
        Linear lin = pruned(new Linear(64, 24), 0.9);
        try (var _ = Sinter.noGrad()) {
            for (int batch : new int[] {1, 5, 32, 40}) {
                Tensor x = Tensor.randn(batch, 64);
                Tensor want = lin.forward(x);
                for (SparseFormat f : SparseFormat.values()) {
                    SparseLinear s = new SparseLinear(lin, KernelChooser.fixed(f));
                    assertClose(want, s.forward(x), f + " batch " + batch);
                    assertEquals(f, s.formatFor(batch));
                }
            }
            // Leading batch dimensions are kept, as Linear's.
            Tensor x3 = Tensor.randn(2, 3, 64);
            assertClose(lin.forward(x3), new SparseLinear(lin, KernelChooser.fixed(SparseFormat.CSR)).forward(x3), "3-d input");
        }
    }

    @Test
    void sparseConvMatchesConvWithStridePaddingAndDilation() {
        Sinter.manualSeed(4);
        Conv2d[] convs = {
                new Conv2d(3, 8, 3),
                new Conv2d(4, 8, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 1, true, "zeros"),
                new Conv2d(2, 5, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, false, "zeros"),
        };
        try (var _ = Sinter.noGrad()) {
            for (Conv2d conv : convs) {
                pruned(conv, 0.8);
                for (int n : new int[] {1, 3}) {
                    Tensor x = Tensor.randn(n, conv.inChannels, 11, 9);
                    Tensor want = conv.forward(x);
                    for (SparseFormat f : SparseFormat.values()) {
                        SparseConv2d s = new SparseConv2d(conv, KernelChooser.fixed(f));
                        Tensor got = s.forward(x);
                        assertClose(want, got, conv + " " + f + " n=" + n);
                    }
                }
            }
        }
    }

    @Test
    void measuringChooserCalibratesOncePerShapeAndKeepsOutputs() {
        Sinter.manualSeed(5);
        Sequential model = new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Conv2d(8, 16, 3), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(16 * 12 * 12, 32), new ReLU(), new Linear(32, 10));
        pruned(model, 0.9);
        model.eval();
        KernelChooser chooser = KernelChooser.measuring(2);
        Module sparse = Sparsifier.sparsify(model, chooser);
        try (var _ = Sinter.noGrad()) {
            Tensor x = Tensor.randn(4, 1, 28, 28);
            assertClose(model.forward(x), sparse.forward(x), "sparsified model");
            int calibrated = chooser.calibrations().size();
            assertEquals(4, calibrated, chooser.calibrations().keySet().toString());
            assertClose(model.forward(x), sparse.forward(x), "second call");
            assertEquals(calibrated, chooser.calibrations().size(), "no new calibration for a seen shape");
            for (KernelChooser.Calibration c : chooser.calibrations().values()) {
                assertTrue(c.medianMillis().containsKey(SparseFormat.DENSE) && c.medianMillis().containsKey(SparseFormat.CSR), c.toString());
                assertNotNull(c.chosen());
            }
        }
        // The sparse model's size is its layers' CSR form: values and column indices of the nonzeros, row pointers, biases.
        long csr = 0;
        for (Module m : model.modules()) {
            Tensor w = m instanceof Conv2d c ? c.weight : m instanceof Linear l ? l.weight : null;
            if (w == null) continue;
            long nnz = java.util.Arrays.stream(w.toDoubleArray()).filter(v -> v != 0).count();
            csr += nnz * 8 + (w.size(0) + 1L) * 4 + 4L * w.size(0);
        }
        assertEquals(csr, org.sinter.compress.quant.Quantize.sizeBytes(sparse));
        assertTrue(csr < org.sinter.compress.quant.Quantize.sizeBytes(model) / 4, csr + " vs dense " + org.sinter.compress.quant.Quantize.sizeBytes(model));
    }

    @Test
    void inferenceOnlyAndShapeErrorsAreClear() {
        Linear lin = new Linear(4, 2);
        SparseLinear s = new SparseLinear(lin, KernelChooser.fixed(SparseFormat.CSR));
        var e = assertThrows(IllegalArgumentException.class, () -> s.forward(Tensor.randn(3, 5)));
        assertTrue(e.getMessage().contains("last dimension 4"), e.getMessage());
        Tensor x = Tensor.randn(3, 4).requiresGrad(true);
        e = assertThrows(IllegalArgumentException.class, () -> s.forward(x));
        assertTrue(e.getMessage().contains("inference only"), e.getMessage());
        SparseConv2d c = new SparseConv2d(new Conv2d(2, 3, 3), KernelChooser.fixed(SparseFormat.CSR));
        e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.randn(1, 3, 5, 5)));
        assertTrue(e.getMessage().contains("(N, 2, H, W)"), e.getMessage());
        assertFalse(s.sparsity() > 0.5);
    }
}
