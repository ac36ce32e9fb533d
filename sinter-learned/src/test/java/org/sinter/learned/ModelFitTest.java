package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.sinter.learned.data.KeySets;
import org.sinter.learned.index.rmi.NeuralModel;
import org.sinter.learned.index.rmi.PolynomialModel;
import org.sinter.learned.index.rmi.RecursiveModelIndex;
import org.sinter.learned.index.rmi.RmiConfig;
import org.sinter.learned.index.rmi.RmiConfig.RootType;

/** The RMI's stages: least-squares fits against PyTorch's lstsq, the neural stage's training, and leaf errors. */
class ModelFitTest {
    static JsonNode fixture() throws IOException {
        try (InputStream in = ModelFitTest.class.getResourceAsStream("/fixtures/polyfit.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asDouble();
        return v;
    }

    @Test
    void linearAndCubicFitsMatchTorchLstsq() throws IOException {
        JsonNode f = fixture();
        double[] x = doubles(f.get("x")), y = doubles(f.get("y"));
        assertArrayEquals(doubles(f.get("degree1")), PolynomialModel.fit(x, y, 1).coefficients(), 1e-9);
        double[] want = doubles(f.get("degree3")), got = PolynomialModel.fit(x, y, 3).coefficients();
        for (int i = 0; i < 4; i++) assertEquals(want[i], got[i], 1e-6 * Math.max(1, Math.abs(want[i])), "coefficient " + i);
    }

    @Test
    void theNeuralStageLearnsTheCdfDeterministically() {
        long[] keys = KeySets.load("normal", 2048, 4);
        double[] x = new double[keys.length], y = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            x[i] = ((double) keys[i] - keys[0]) / ((double) keys[keys.length - 1] - keys[0]);
            y[i] = (double) i / keys.length;
        }
        NeuralModel a = NeuralModel.train(x, y, 8, 200, 1e-2, 3), b = NeuralModel.train(x, y, 8, 200, 1e-2, 3);
        double mean = 0, varY = 0, mse = 0;
        for (double v : y) mean += v / y.length;
        for (int i = 0; i < x.length; i++) {
            varY += (y[i] - mean) * (y[i] - mean) / y.length;
            mse += (a.predict(x[i]) - y[i]) * (a.predict(x[i]) - y[i]) / y.length;
            assertEquals(a.predict(x[i]), b.predict(x[i]), 0.0, "same seed, same model");
        }
        // The normal CDF's S shape: a trained 8-unit ReLU net explains nearly all of its variance.
        assertTrue(mse < 0.05 * varY, "mse " + mse + " against variance " + varY);
    }

    @Test
    void moreLeavesMeanSmallerErrors() {
        long[] keys = KeySets.load("normal", 200_000, 9);
        RecursiveModelIndex small = new RecursiveModelIndex(keys, RmiConfig.of(RootType.CUBIC, 64));
        RecursiveModelIndex big = new RecursiveModelIndex(keys, RmiConfig.of(RootType.CUBIC, 16384));
        assertTrue(big.meanLog2Error() < small.meanLog2Error() - 2, small.meanLog2Error() + " vs " + big.meanLog2Error());
        assertTrue(big.indexBytes() > small.indexBytes());
    }

    @Test
    void aLineIsLearnedExactly() {
        long[] keys = new long[100_000];
        for (int i = 0; i < keys.length; i++) keys[i] = 5_000 + 3L * i;
        RecursiveModelIndex rmi = new RecursiveModelIndex(keys, RmiConfig.of(RootType.LINEAR, 16));
        assertEquals(0, rmi.maxError());
    }
}
