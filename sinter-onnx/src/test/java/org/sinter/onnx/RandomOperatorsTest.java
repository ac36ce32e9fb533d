package org.sinter.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.GraphProto;
import org.sinter.onnx.proto.Onnx.TensorProto;

/**
 * ONNX's random operators, compiled: shapes and types, the distributions (moments of many draws),
 * a fresh draw on every run, and repeatability by seed. (The backend tests' expected values come
 * from NumPy's generator, which no other generator reproduces.)
 */
class RandomOperatorsTest {
    private static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static OnnxModel load(GraphProto g) {
        return OnnxModel.load(TestModels.model(g, 15).toByteArray(), "random.onnx", CompileOptions.defaults());
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) s += x;
        return s / v.length;
    }

    private static double variance(float[] v) {
        double m = mean(v), s = 0;
        for (float x : v) s += (x - m) * (x - m);
        return s / v.length;
    }

    @Test
    void uniformAndNormalHaveTheirMomentsAndDrawAnewEachRun() {
        Sinter.manualSeed(11);
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 200, 100))
                .addOutput(TestModels.value("u")).addOutput(TestModels.value("n"))
                .addNode(TestModels.node("u", "RandomUniformLike", List.of("x"), List.of("u"), real("low", -2), real("high", 4)))
                .addNode(TestModels.node("n", "RandomNormal", List.of(), List.of("n"), TestModels.ints("shape", 200, 100), real("mean", 3), real("scale", 0.5f)))
                .build();
        OnnxModel m = load(g);
        Tensor[] first = m.call(Tensor.zeros(200, 100)), second = m.call(Tensor.zeros(200, 100));
        float[] u = first[0].toFloatArray(), n = first[1].toFloatArray();
        assertArrayEquals(new int[] {200, 100}, first[0].shape());
        assertArrayEquals(new int[] {200, 100}, first[1].shape());
        for (float x : u) assertTrue(x >= -2 && x < 4, "uniform draw " + x + " outside [-2, 4)");
        // 20,000 draws: the mean's standard error is 0.012 (uniform) and 0.0035 (normal); 5 of them is the bound.
        assertEquals(1.0, mean(u), 0.06);
        assertEquals(3.0, variance(u), 0.15); // (4 - -2)^2 / 12
        assertEquals(3.0, mean(n), 0.02);
        assertEquals(0.25, variance(n), 0.02);
        assertFalse(java.util.Arrays.equals(u, second[0].toFloatArray()), "each run draws anew");
    }

    @Test
    void aSeedMakesTheDrawsRepeatable() {
        GraphProto g = GraphProto.newBuilder().addOutput(TestModels.value("y"))
                .addNode(TestModels.node("u", "RandomUniform", List.of(), List.of("y"), TestModels.ints("shape", 4, 3), real("seed", 7f))).build();
        float[] a = load(g).call()[0].toFloatArray(), b = load(g).call()[0].toFloatArray();
        assertArrayEquals(a, b, "two models with the same seed draw the same first values");
    }

    @Test
    void bernoulliAndMultinomialFollowTheirProbabilities() {
        Sinter.manualSeed(5);
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("p", 4, 5000)).addInput(TestModels.value("logits", 2, 3))
                .addOutput(TestModels.value("b")).addOutput(TestModels.typed("k", TensorProto.DataType.INT64_VALUE))
                .addNode(TestModels.node("b", "Bernoulli", List.of("p"), List.of("b")))
                .addNode(TestModels.node("k", "Multinomial", List.of("logits"), List.of("k"), TestModels.intAttr("sample_size", 6000),
                        TestModels.intAttr("dtype", TensorProto.DataType.INT64_VALUE)))
                .build();
        OnnxModel m = load(g);
        float[] p = new float[4 * 5000];
        float[] rates = {0f, 0.25f, 0.75f, 1f};
        for (int r = 0; r < 4; r++) java.util.Arrays.fill(p, r * 5000, (r + 1) * 5000, rates[r]);
        // Row 0: probabilities 0.2, 0.3, 0.5 (as log-probabilities); row 1: all on class 2.
        Tensor logits = Tensor.of(new float[] {(float) Math.log(0.2), (float) Math.log(0.3), (float) Math.log(0.5), -1e4f, -1e4f, 0f}, 2, 3);
        Tensor[] out = m.call(Tensor.of(p, 4, 5000), logits);
        float[] b = out[0].toFloatArray();
        for (int r = 0; r < 4; r++) {
            double rate = mean(java.util.Arrays.copyOfRange(b, r * 5000, (r + 1) * 5000));
            assertEquals(rates[r], rate, 0.035, "Bernoulli row " + r);
        }
        assertEquals(DType.INT64, out[1].dtype());
        assertArrayEquals(new int[] {2, 6000}, out[1].shape());
        long[] k = out[1].toLongArray();
        int[] counts = new int[3];
        for (int i = 0; i < 6000; i++) counts[(int) k[i]]++;
        assertEquals(0.2, counts[0] / 6000.0, 0.03);
        assertEquals(0.3, counts[1] / 6000.0, 0.03);
        assertEquals(0.5, counts[2] / 6000.0, 0.03);
        for (int i = 6000; i < 12000; i++) assertEquals(2, k[i]);
    }

    @Test
    void dropoutInTrainingModeKeepsAndScales() {
        Sinter.manualSeed(3);
        GraphProto g = GraphProto.newBuilder().addInput(TestModels.value("x", 100, 100))
                .addOutput(TestModels.value("y")).addOutput(TestModels.typed("mask", TensorProto.DataType.BOOL_VALUE))
                .addInitializer(TestModels.tensor("ratio", Tensor.scalar(0.75, DType.FLOAT32)))
                .addInitializer(TestModels.tensor("training", Tensor.of(new boolean[] {true}).reshape()))
                .addNode(TestModels.node("d", "Dropout", List.of("x", "ratio", "training"), List.of("y", "mask"))).build();
        Tensor x = Tensor.randn(100, 100);
        Tensor[] out = load(g).call(x);
        float[] xs = x.toFloatArray(), y = out[0].toFloatArray();
        boolean[] keep = out[1].toBooleanArray();
        int kept = 0;
        for (int i = 0; i < y.length; i++) {
            assertEquals(keep[i] ? 4 * xs[i] : 0f, y[i], 1e-5f, "element " + i);
            if (keep[i]) kept++;
        }
        assertEquals(0.25, kept / 10000.0, 0.025); // 5 standard errors
    }
}
