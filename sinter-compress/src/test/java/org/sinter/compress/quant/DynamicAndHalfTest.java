package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.quant.nn.DynamicQuantizedGRU;
import org.sinter.compress.quant.nn.DynamicQuantizedLSTM;
import org.sinter.compress.quant.qat.FakeQuantizeFunction;
import org.sinter.nn.GRU;
import org.sinter.nn.LSTM;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/** Dynamic quantization, half-precision weights, and fake quantization against PyTorch. */
class DynamicAndHalfTest {
    static double relErr(Tensor want, Tensor got) {
        float[] w = want.toFloatArray(), g = got.toFloatArray();
        double e = 0, n = 0;
        for (int i = 0; i < w.length; i++) {
            e += (w[i] - g[i]) * (w[i] - g[i]);
            n += w[i] * w[i];
        }
        return Math.sqrt(e / n);
    }

    @Test
    void dynamicLinearAndHalfWeightsTrackFloat() {
        Sinter.manualSeed(5);
        Sequential model = new Sequential(new Linear(64, 48), new ReLU(), new Linear(48, 10));
        model.eval();
        Tensor x = Tensor.randn(7, 64);
        Tensor want;
        try (var _ = Sinter.noGrad()) {
            want = model.forward(x);
        }
        Sequential dyn = Quantize.quantizeDynamic(model);
        assertTrue(relErr(want, dyn.forward(x)) < 0.03, "dynamic int8 error " + relErr(want, dyn.forward(x)));
        Sequential fp16 = Quantize.toHalf(model, DType.FLOAT16), bf16 = Quantize.toHalf(model, DType.BFLOAT16);
        double e16 = relErr(want, fp16.forward(x)), eb16 = relErr(want, bf16.forward(x));
        assertTrue(e16 < 2e-3, "fp16 error " + e16);
        assertTrue(eb16 < 1.5e-2 && eb16 > e16, "bf16 error " + eb16 + " (fewer mantissa bits than fp16's " + e16 + ")");
        long f32 = Quantize.sizeBytes(model);
        assertTrue(Quantize.sizeBytes(fp16) * 2 == f32, Quantize.sizeBytes(fp16) + " vs " + f32);
        assertTrue(Quantize.sizeBytes(dyn) < f32 / 3, Quantize.sizeBytes(dyn) + " vs " + f32);
        assertThrows(IllegalArgumentException.class, () -> dyn.forward(Tensor.randn(2, 63)));
        assertThrows(IllegalArgumentException.class, () -> Quantize.toHalf(model, DType.FLOAT32));
    }

    /** A 2-layer bidirectional batch-first LSTM or GRU with the fixture's weights (PyTorch's names). */
    private static <M extends org.sinter.nn.RNNBase> M withFixtureWeights(M m, String kind) {
        java.util.Map<String, Tensor> state = new java.util.LinkedHashMap<>();
        for (var e : m.namedParameters().entrySet()) state.put(e.getKey(), Tensor.of(Fixtures.floats(kind + "." + e.getKey()), e.getValue().shape()));
        m.loadStateDict(state, true);
        return m;
    }

    /** Max |got - want| is far below max |want - floatY|: the int8 arithmetic is PyTorch's, not just close to float32. */
    private static void assertInt8Agreement(String kind, Tensor got) {
        float[] want = Fixtures.floats(kind + ".int8.y"), floatY = Fixtures.floats(kind + ".float.y"), g = got.toFloatArray();
        double toInt8 = 0, toFloat = 0;
        for (int i = 0; i < want.length; i++) {
            toInt8 = Math.max(toInt8, Math.abs(g[i] - want[i]));
            toFloat = Math.max(toFloat, Math.abs(want[i] - floatY[i]));
        }
        assertTrue(toInt8 < 2e-5, kind + ": max |Sinter - PyTorch int8| = " + toInt8);
        assertTrue(toFloat > 20 * toInt8, kind + ": int8 error vs float " + toFloat + " is not above the agreement " + toInt8);
    }

    @Test
    void dynamicLstmAndGruComputeWhatPyTorchsDo() {
        // PyTorch's dynamic int8 LSTM and GRU (2 layers, bidirectional, batch-first, given states) on its fixture's weights.
        Tensor x = Tensor.of(Fixtures.floats("rnn.x"), 3, 4, 6);
        Tensor h0 = Tensor.of(Fixtures.floats("rnn.h0"), 4, 3, 5), c0 = Tensor.of(Fixtures.floats("rnn.c0"), 4, 3, 5);
        var options = LSTM.options().numLayers(2).bidirectional(true).batchFirst(true);
        LSTM lstm = withFixtureWeights(new LSTM(6, 5, options), "lstm");
        DynamicQuantizedLSTM q = new DynamicQuantizedLSTM(lstm);
        org.sinter.nn.RNNBase.Result r = q.forward(x, h0, c0);
        assertInt8Agreement("lstm", r.output());
        assertArrayEquals(Fixtures.floats("lstm.int8.h"), r.hN().toFloatArray(), 2e-5f);
        assertArrayEquals(Fixtures.floats("lstm.int8.c"), r.cN().toFloatArray(), 2e-5f);
        assertArrayEquals(new int[] {3, 4, 10}, r.output().shape());
        // Biases stay float32, a large share of so small a model.
        assertTrue(q.sizeBytes() * 2 < Quantize.sizeBytes(lstm), q.sizeBytes() + " vs " + Quantize.sizeBytes(lstm));

        GRU gru = withFixtureWeights(new GRU(6, 5, options), "gru");
        DynamicQuantizedGRU g = new DynamicQuantizedGRU(gru);
        org.sinter.nn.RNNBase.Result rg = g.forward(x, h0);
        assertInt8Agreement("gru", rg.output());
        assertArrayEquals(Fixtures.floats("gru.int8.h"), rg.hN().toFloatArray(), 2e-5f);

        // In a Sequential, quantizeDynamic swaps the recurrent layers as it swaps Linear layers.
        Sequential seq = Quantize.quantizeDynamic(new Sequential(lstm));
        assertInstanceOf(DynamicQuantizedLSTM.class, seq.get(0));
        assertArrayEquals(q.forward(x).toFloatArray(), seq.forward(x).toFloatArray(), 0f);
        assertInstanceOf(DynamicQuantizedGRU.class, Quantize.quantizeDynamic(new Sequential(gru)).get(0));
    }

    @Test
    void fakeQuantizeMatchesPyTorchForwardAndStraightThroughGradient() {
        Tensor g = Tensor.of(Fixtures.floats("fq.grad_out"), 5, 7);
        QParams perTensor = QParams.perTensor(0.05f, 10, QDType.QUINT8, 0, 255);
        QParams perChannel = new QParams(Fixtures.floats("fq.per_channel.scale"), Fixtures.ints("fq.per_channel.zero_point"), 0, QDType.QINT8, -128, 127);
        for (var c : new Object[][] {{"per_tensor", perTensor}, {"per_channel", perChannel}}) {
            Tensor x = Tensor.of(Fixtures.floats("fq.x"), 5, 7).requiresGrad(true);
            Tensor y = FakeQuantizeFunction.apply(x, (QParams) c[1]);
            y.backward(g);
            assertArrayEquals(Fixtures.floats("fq." + c[0] + ".y"), y.toFloatArray(), 0f, c[0] + " forward");
            assertArrayEquals(Fixtures.floats("fq." + c[0] + ".grad"), x.grad().toFloatArray(), 0f, c[0] + " gradient");
        }
    }
}
