package org.sinter.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** toString / extraRepr as PyTorch prints the same modules. */
class ModuleReprTest {
    @Test
    void leafModules() {
        assertEquals("Linear(in_features=784, out_features=128, bias=True)", new Linear(784, 128).toString());
        assertEquals("Linear(in_features=3, out_features=2, bias=False)", new Linear(3, 2, false).toString());
        assertEquals("Bilinear(in1_features=3, in2_features=4, out_features=5, bias=True)", new Bilinear(3, 4, 5).toString());
        assertEquals("LeakyReLU(negative_slope=0.01)", new LeakyReLU().toString());
        assertEquals("GELU(approximate='tanh')", new GELU("tanh").toString());
        assertEquals("Softplus(beta=1, threshold=20)", new Softplus().toString());
        assertEquals("Softmax(dim=1)", new Softmax(1).toString());
        assertEquals("ELU(alpha=1.0)", new ELU().toString());
        assertEquals("ReLU()", new ReLU().toString());
        assertEquals("Identity()", new Identity().toString());
    }

    @Test
    void recurrentModules() {
        assertEquals("LSTM(10, 20, num_layers=2, batch_first=True, dropout=0.5, bidirectional=True)",
                new LSTM(10, 20, RNNBase.options().numLayers(2).batchFirst(true).dropout(0.5).bidirectional(true)).toString());
        assertEquals("GRU(3, 4, bias=False)", new GRU(3, 4, RNNBase.options().bias(false)).toString());
        assertEquals("RNNCell(3, 4, nonlinearity=relu)", new RNNCell(3, 4, true, "relu").toString());
        assertEquals("LSTMCell(3, 4)", new LSTMCell(3, 4).toString());
    }

    @Test
    void containers() {
        assertEquals("Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)",
                new Sequential(new Linear(2, 3), new ReLU()).toString());
        assertEquals("MultiheadAttention(\n  (out_proj): Linear(in_features=8, out_features=8, bias=True)\n)", new MultiheadAttention(8, 2).toString());
    }

    @Test
    void pythonNumbers() {
        assertEquals("1e-05", PyRepr.pyFloat(1e-5));
        assertEquals("0.0001", PyRepr.pyFloat(1e-4));
        assertEquals("0.1", PyRepr.pyFloat(0.1));
        assertEquals("100.0", PyRepr.pyFloat(100));
        assertEquals("1e+16", PyRepr.pyFloat(1e16));
        assertEquals("-2.5", PyRepr.pyFloat(-2.5));
        assertEquals("inf", PyRepr.pyFloat(Double.POSITIVE_INFINITY));
        assertEquals("20", PyRepr.pyNumber(20));
    }
}
