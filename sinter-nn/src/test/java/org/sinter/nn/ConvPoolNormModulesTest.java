package org.sinter.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.functional.F;
import org.sinter.nn.functional.Reduction;
import org.sinter.nn.loss.BCEWithLogitsLoss;
import org.sinter.nn.loss.CrossEntropyLoss;
import org.sinter.nn.loss.KLDivLoss;
import org.sinter.nn.loss.MSELoss;

/** The convolution, pooling, normalization, dropout, embedding, flatten and loss modules: PyTorch's reprs, shapes, init and state. */
class ConvPoolNormModulesTest {

    @Test
    void batchNormKeepsUpdatingItsRunningStatisticsAfterADtypeChange() {
        Sinter.manualSeed(3);
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor mean = bn.runningMean;
        bn.to(DType.FLOAT64);
        assertSame(mean, bn.runningMean, "the buffer keeps its identity");
        assertEquals(DType.FLOAT64, bn.runningMean.dtype());
        bn.train();
        Tensor x = Tensor.randn(4, 3, 5, 5).to(DType.FLOAT64).add(2.0);
        bn.forward(x);
        // momentum 0.1 from zero: 0.1 x the batch mean, in the field and in the state dict alike
        Tensor expected = x.mean(new int[] {0, 2, 3}, false).mul(0.1);
        assertTrue(bn.runningMean.allclose(expected, 1e-12, 1e-12), bn.runningMean + " vs " + expected);
        assertTrue(bn.stateDict().get("running_mean").equal(bn.runningMean));
    }

    @Test
    void reprsMatchPyTorch() {
        assertEquals("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1))", new Conv2d(1, 32, 3).toString());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 5), stride=(2, 2), padding=(1, 1), dilation=(2, 2), bias=False, padding_mode=reflect)",
                new Conv2d(3, 8, new int[] {3, 5}, new int[] {2}, new int[] {1}, new int[] {2}, 1, false, "reflect").toString());
        assertEquals("Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), padding=same, groups=4)",
                new Conv2d(4, 8, new int[] {3}, new int[] {1}, "same", new int[] {1}, 4, true, "zeros").toString());
        assertEquals("Conv1d(3, 6, kernel_size=(5,), stride=(2,))", new Conv1d(3, 6, 5, 2, 0, 1, 1, true, "zeros").toString());
        assertEquals("ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))",
                new ConvTranspose2d(8, 4, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1, true, new int[] {1}).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=1, dilation=2, ceil_mode=True)",
                new MaxPool2d(new int[] {2, 3}, new int[] {1, 2}, new int[] {1}, new int[] {2}, false, true).toString());
        assertEquals("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=(None, 7))", new AdaptiveAvgPool2d(-1, 7).toString());
        assertEquals("BatchNorm1d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", new BatchNorm1d(16).toString());
        assertEquals("BatchNorm2d(32, eps=0.001, momentum=None, affine=True, track_running_stats=True)",
                new BatchNorm2d(32, 1e-3, null, true, true).toString());
        assertEquals("LayerNorm((64,), eps=1e-05, elementwise_affine=True)", new LayerNorm(64).toString());
        assertEquals("LayerNorm((3, 4), eps=1e-05, elementwise_affine=False)", new LayerNorm(new int[] {3, 4}, 1e-5, false).toString());
        assertEquals("GroupNorm(2, 6, eps=1e-05, affine=True)", new GroupNorm(2, 6).toString());
        assertEquals("Dropout(p=0.5, inplace=False)", new Dropout().toString());
        assertEquals("Dropout(p=0.25, inplace=False)", new Dropout(0.25).toString());
        assertEquals("Embedding(10, 3, padding_idx=0)", new Embedding(10, 3, 0).toString());
        assertEquals("Embedding(10, 3)", new Embedding(10, 3).toString());
        assertEquals("Flatten(start_dim=1, end_dim=-1)", new Flatten().toString());
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
        assertEquals("BCEWithLogitsLoss()", new BCEWithLogitsLoss().toString());
    }

    @Test
    void convInitAndShapes() {
        Sinter.manualSeed(1);
        Conv2d c = new Conv2d(3, 16, 3);
        assertArrayEquals(new int[] {16, 3, 3, 3}, c.weight.shape());
        double bound = 1 / Math.sqrt(27);
        double max = c.weight.abs().max().item();
        assertTrue(max <= bound && max > 0.8 * bound, "kaiming_uniform(a=√5) bound 1/√fan_in, got max " + max);
        assertTrue(c.bias.abs().max().item() <= bound);
        assertEquals(List.of("weight", "bias"), List.copyOf(c.stateDict().keySet()));
        assertArrayEquals(new int[] {2, 16, 6, 6}, c.forward(Tensor.randn(2, 3, 8, 8)).shape());
        ConvTranspose2d t = new ConvTranspose2d(8, 4, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 2, false, new int[] {1});
        assertArrayEquals(new int[] {8, 2, 3, 3}, t.weight.shape());
        assertNull(t.bias);
        assertArrayEquals(new int[] {1, 4, 10, 10}, t.forward(Tensor.randn(1, 8, 5, 5)).shape());
        assertArrayEquals(new int[] {2, 6, 5}, new Conv1d(3, 6, 3, 1, "same", 1, 1, true, "zeros").forward(Tensor.randn(2, 3, 5)).shape());
    }

    @Test
    void nonZeroPaddingModesPadFirst() {
        Conv2d c = new Conv2d(1, 1, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, 1, false, "replicate");
        try (var _ = Sinter.noGrad()) {
            c.weight.fill_(1.0 / 9);
        }
        // A constant image stays constant under a mean filter with replicate padding (zeros would darken the border).
        Tensor y = c.forward(Tensor.full(2.0, 1, 1, 4, 5));
        assertTrue(y.allclose(Tensor.full(2.0, 1, 1, 4, 5), 1e-6, 1e-6));
    }

    @Test
    void batchNormTracksRunningStatistics() {
        Sinter.manualSeed(2);
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.stateDict().keySet()));
        assertEquals(DType.INT64, bn.numBatchesTracked.dtype());
        Tensor x = Tensor.randn(4, 3, 5, 5).mul(2.0).add(1.0);
        Tensor y = bn.forward(x);
        assertEquals(1, bn.numBatchesTracked.itemLong());
        Tensor mean = x.mean(new int[] {0, 2, 3}, false), var = x.var(new int[] {0, 2, 3}, 1, false);
        assertTrue(bn.runningMean.allclose(mean.mul(0.1), 1e-5, 1e-6));
        assertTrue(bn.runningVar.allclose(var.mul(0.1).add(0.9), 1e-5, 1e-6));
        assertTrue(y.mean(new int[] {0, 2, 3}, false).abs().max().item() < 1e-5);
        bn.eval();
        Tensor ye = bn.forward(x);
        Tensor expected = x.sub(bn.runningMean.reshape(1, 3, 1, 1)).div(bn.runningVar.add(1e-5).sqrt().reshape(1, 3, 1, 1));
        assertTrue(ye.allclose(expected, 1e-5, 1e-5));
        assertEquals(1, bn.numBatchesTracked.itemLong(), "eval does not count batches");
        // momentum=None: cumulative average over the batches seen.
        BatchNorm1d cum = new BatchNorm1d(2, 1e-5, null, false, true);
        Tensor a = Tensor.randn(5, 2), b = Tensor.randn(5, 2);
        cum.forward(a);
        cum.forward(b);
        assertTrue(cum.runningMean.allclose(a.mean(0, false).add(b.mean(0, false)).div(2.0), 1e-5, 1e-6));
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.randn(3, 5, 5)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.randn(1, 3)),
                "more than 1 value per channel when training");
    }

    @Test
    void embeddingPaddingRowIsZeroAndGetsNoGradient() {
        Sinter.manualSeed(3);
        Embedding e = new Embedding(6, 4, -1);
        assertEquals(5, e.paddingIdx);
        assertTrue(e.weight.select(0, 5).abs().sum().item() == 0);
        Tensor idx = Tensor.of(new long[] {5, 1, 5, 2}, 2, 2);
        Tensor out = e.forward(idx);
        assertArrayEquals(new int[] {2, 2, 4}, out.shape());
        out.sum().backward();
        assertEquals(0, e.weight.grad().select(0, 5).abs().sum().item());
        assertEquals(4, e.weight.grad().select(0, 1).sum().item(), 1e-6);
        Embedding frozen = Embedding.fromPretrained(Tensor.ones(3, 2), true, null);
        assertTrue(!frozen.weight.requiresGrad());
    }

    private static void rejects(String message, Runnable constructor) {
        var e = assertThrows(IllegalArgumentException.class, constructor::run);
        assertTrue(e.getMessage().contains(message), () -> "'" + message + "' in: " + e.getMessage());
    }

    /** Bad hyper-parameters fail in the constructor naming layer and argument (MaxPool2d(0) used to divide by zero in forward). */
    @Test
    void constructorsRejectBadSizes() {
        rejects("MaxPool2d: kernel size should be greater than zero, but got [0]", () -> new MaxPool2d(0));
        rejects("MaxPool2d: stride should be greater than zero, but got [0]", () -> new MaxPool2d(2, 0, 0));
        rejects("MaxPool2d: padding should be non-negative, but got [-1]", () -> new MaxPool2d(2, 1, -1));
        rejects("MaxPool2d: pad should be at most half of kernel size, but got pad=2 and kernel_size=3",
                () -> new MaxPool2d(new int[] {3}, new int[] {1}, new int[] {1, 2}, new int[] {1}, false, false));
        rejects("MaxPool2d: dilation should be greater than zero", () -> new MaxPool2d(new int[] {2}, null, new int[] {0}, new int[] {0}, false, false));
        rejects("AvgPool2d: kernel size should be greater than zero", () -> new AvgPool2d(0));
        rejects("AvgPool2d: stride should be greater than zero", () -> new AvgPool2d(2, 0, 0));
        rejects("Conv2d: kernel size should be greater than zero, but got [0, 0]", () -> new Conv2d(2, 3, 0));
        rejects("Conv2d: stride should be greater than zero", () -> new Conv2d(2, 3, 3, 0, 0));
        rejects("Conv2d: padding should be non-negative", () -> new Conv2d(2, 3, 3, 1, -1));
        rejects("Conv2d: in_channels should be non-negative, but got -1", () -> new Conv2d(-1, 3, 3));
        rejects("Conv2d: groups must be a positive integer",
                () -> new Conv2d(2, 4, new int[] {3}, new int[] {1}, new int[] {0}, new int[] {1}, 0, true, "zeros"));
        rejects("Conv1d: kernel size should be greater than zero", () -> new Conv1d(2, 3, 0));
        rejects("ConvTranspose2d: kernel size should be greater than zero", () -> new ConvTranspose2d(2, 3, 0));
        rejects("Embedding: num_embeddings should be non-negative, but got -1", () -> new Embedding(-1, 3));
        rejects("Embedding: embedding_dim should be non-negative, but got -2", () -> new Embedding(3, -2));
        rejects("Linear: in_features should be non-negative, but got -1", () -> new Linear(-1, 3));
        rejects("Bilinear: out_features should be non-negative", () -> new Bilinear(2, 2, -3));
        rejects("BatchNorm2d: num_features should be non-negative", () -> new BatchNorm2d(-1));
        rejects("LayerNorm: normalized_shape entry should be non-negative", () -> new LayerNorm(4, -1));
        rejects("GroupNorm: num_groups should be greater than zero, but got 0", () -> new GroupNorm(0, 2));
        rejects("RNNCell: hidden_size should be non-negative", () -> new RNNCell(2, -1));
        rejects("MultiheadAttention: num_heads should be greater than zero, but got 0", () -> new MultiheadAttention(4, 0));
        rejects("Dropout: dropout probability has to be between 0 and 1, but got 1.5", () -> new Dropout(1.5));
        rejects("LSTM: dropout probability has to be between 0 and 1, but got NaN", () -> new LSTM(2, 3, new RNNBase.Options().dropout(Double.NaN)));
        // Empty layers stay legal, as in PyTorch.
        assertArrayEquals(new int[] {3, 0}, new Linear(0, 3).weight.shape());
        assertArrayEquals(new int[] {0, 3}, new Embedding(0, 3).weight.shape());
    }

    @Test
    void dropoutTrainEvalAndSeeding() {
        Dropout d = new Dropout(0.3, new Generator(11));
        Tensor x = Tensor.ones(20000);
        Tensor y = d.forward(x);
        double zeros = y.eq(0.0).to(DType.FLOAT32).mean().item();
        assertEquals(0.3, zeros, 0.02);
        assertTrue(y.max().item() < 1 / 0.7 + 1e-5 && y.max().item() > 1 / 0.7 - 1e-5);
        Tensor again = new Dropout(0.3, new Generator(11)).forward(x);
        assertTrue(y.equal(again), "same generator seed, same mask");
        d.eval();
        assertSame(x, d.forward(x));
        assertTrue(F.dropout(x, 1.0, true).abs().sum().item() == 0);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void lossModulesAndFlatten() {
        Tensor a = Tensor.randn(3, 4), b = Tensor.randn(3, 4);
        assertTrue(new MSELoss().forward(a, b).allclose(F.mseLoss(a, b)));
        assertTrue(new MSELoss(Reduction.SUM).forward(a, b).allclose(F.mseLoss(a, b, Reduction.SUM)));
        CrossEntropyLoss ce = new CrossEntropyLoss(Tensor.of(new float[] {1, 2, 3, 4}), -100, Reduction.MEAN, 0.0);
        assertEquals(List.of("weight"), List.copyOf(ce.stateDict().keySet()));
        Tensor t = Tensor.of(new long[] {0, 3, 1}, 3);
        assertTrue(ce.forward(a, t).allclose(F.crossEntropy(a, t, ce.weight, -100, Reduction.MEAN, 0.0)));
        assertTrue(new KLDivLoss(Reduction.BATCHMEAN, false).forward(a.logSoftmax(1), b.softmax(1)).item() >= 0);
        assertThrows(IllegalArgumentException.class, () -> new MSELoss(Reduction.BATCHMEAN).forward(a, b));
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(Tensor.zeros(2, 3, 4, 5)).shape());
        assertArrayEquals(new int[] {6, 4, 5}, new Flatten(0, 1).forward(Tensor.zeros(2, 3, 4, 5)).shape());
    }
}
