package org.sinter.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autograd.GradCheck;

/**
 * Finite-difference checks (float64) of the layers' gradients with respect to inputs and
 * parameters. Parameters are passed to GradCheck as inputs: it perturbs them in place, which the
 * module sees because it holds the same tensors.
 */
class ModuleGradCheckTest {
    @BeforeEach
    void seed() {
        Sinter.manualSeed(7);
    }

    private static Tensor x(int... shape) {
        return Tensor.randn(DType.FLOAT64, shape).requiresGrad(true);
    }

    @Test
    void linear() {
        Linear m = new Linear(4, 3);
        m.to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> m.forward(in[0]), x(2, 4), m.weight, m.bias));
        assertTrue(GradCheck.gradcheck(in -> m.forward(in[0]), x(2, 2, 4)));
    }

    @Test
    void bilinear() {
        Bilinear m = new Bilinear(3, 2, 2);
        m.to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> m.forward(in[0], in[1]), x(2, 3), x(2, 2), m.weight, m.bias));
    }

    @Test
    void rnnCells() {
        RNNCell tanh = new RNNCell(3, 2);
        tanh.to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> tanh.forward(in[0], in[1]), x(2, 3), x(2, 2), tanh.weightIh, tanh.weightHh, tanh.biasIh, tanh.biasHh));
        GRUCell gru = new GRUCell(3, 2);
        gru.to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> gru.forward(in[0], in[1]), x(2, 3), x(2, 2), gru.weightIh, gru.weightHh, gru.biasIh, gru.biasHh));
        LSTMCell lstm = new LSTMCell(3, 2);
        lstm.to(DType.FLOAT64);
        // Both outputs at once: h and c concatenated.
        assertTrue(GradCheck.gradcheck(in -> {
            LSTMCell.State s = lstm.forward(in[0], new LSTMCell.State(in[1], in[2]));
            return Tensor.cat(new Tensor[] {s.h(), s.c()}, 1);
        }, x(2, 3), x(2, 2), x(2, 2), lstm.weightIh, lstm.weightHh, lstm.biasIh, lstm.biasHh));
    }

    @Test
    void bidirectionalLstmLayer() {
        LSTM m = new LSTM(2, 2, RNNBase.options().bidirectional(true).numLayers(2));
        m.to(DType.FLOAT64);
        Tensor[] w = m.layerWeights(1, true);
        assertTrue(GradCheck.gradcheck(in -> {
            RNNBase.Result r = m.forward(in[0], in[1], null);
            return Tensor.cat(new Tensor[] {r.output().reshape(-1), r.hN().reshape(-1), r.cN().reshape(-1)}, 0);
        }, x(3, 1, 2), x(4, 1, 2), w[0], w[1]));
    }

    @Test
    void multiheadAttentionWithMasks() {
        MultiheadAttention m = new MultiheadAttention(4, 2, MultiheadAttention.options().kdim(3).vdim(2));
        m.to(DType.FLOAT64);
        Tensor kpm = Tensor.of(new boolean[] {false, false, true, false, false, false}, 2, 3);
        Tensor mask = MultiheadAttention.causalMask(3).to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> {
            MultiheadAttention.Result r = m.forward(in[0], in[1], in[2], kpm, true, mask, true);
            return Tensor.cat(new Tensor[] {r.output().reshape(-1), r.weights().reshape(-1)}, 0);
        }, x(3, 2, 4), x(3, 2, 3), x(3, 2, 2), m.qProjWeight, m.kProjWeight, m.inProjBias, m.outProj.weight));
    }

    @Test
    void transformerEncoderLayer() {
        TransformerEncoderLayer m = new TransformerEncoderLayer(4, 2, new TransformerOptions().dimFeedforward(6).dropout(0).normFirst(true)
                .activation("gelu"));
        m.to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> m.forward(in[0]), x(2, 2, 4), m.linear1.weight, m.selfAttn.inProjWeight));
    }
}
