package org.sinter.compress.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.sinter.compress.quant.kernels.QuantizedAdd;
import org.sinter.compress.quant.nn.QuantizedBasicBlock;
import org.sinter.compress.quant.nn.QuantizedConv2d;

/**
 * The int8 ResNet basic block and its residual add against PyTorch 1.13's quantized ops on oneDNN
 * (fixtures: tools/fixtures/gen_quant_resblock.py): same int8 weights, biases and qparams in,
 * the same output bytes out.
 */
class QuantizedResidualTest {
    private static QParams act(float scale, int zp) {
        return QParams.perTensor(scale, zp, QDType.QUINT8); // full 0..255, as the fixtures' observers
    }

    private static QTensor quint8(int[] values, int[] shape, QParams q) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) values[i];
        return new QTensor(b, shape, q);
    }

    private static QuantizedConv2d conv(String p, boolean relu) {
        int[] shape = Fixtures.ints(p + ".w_shape"), wq = Fixtures.ints(p + ".w_q");
        float[] ws = Fixtures.floats(p + ".w_scale");
        byte[] w = new byte[wq.length];
        for (int i = 0; i < w.length; i++) w[i] = (byte) wq[i];
        QTensor weight = new QTensor(w, shape, new QParams(ws, new int[ws.length], 0, QDType.QINT8, -128, 127));
        QParams out = act(Fixtures.scalar(p + ".out_scale"), Fixtures.ints(p + ".out_zero_point")[0]);
        return new QuantizedConv2d(weight, Fixtures.floats(p + ".bias"), Fixtures.ints(p + ".stride"), Fixtures.ints(p + ".padding"), new int[] {1, 1}, relu, out);
    }

    private static void checkBlock(String tag, boolean projection) {
        String p = "block." + tag;
        QTensor x = quint8(Fixtures.ints(p + ".x_q"), Fixtures.ints(p + ".x_shape"), act(Fixtures.scalar(p + ".x_scale"), Fixtures.ints(p + ".x_zero_point")[0]));
        QuantizedBasicBlock block = new QuantizedBasicBlock(conv(p + ".conv1", true), conv(p + ".conv2", false),
                projection ? conv(p + ".downsample", false) : null, act(Fixtures.scalar(p + ".add_scale"), Fixtures.ints(p + ".add_zero_point")[0]));
        QTensor y = block.forward(x);
        assertArrayEquals(Fixtures.ints(p + ".y_shape"), y.shape());
        assertArrayEquals(Fixtures.ints(p + ".y_q"), y.intRepr(), tag + ": int8 block output differs from PyTorch's");
    }

    @Test
    void blockWithIdentityShortcutMatchesPyTorch() {
        checkBlock("identity", false);
    }

    @Test
    void blockWithProjectionShortcutMatchesPyTorch() {
        checkBlock("projection", true);
    }

    @Test
    void addAndAddReluMatchPyTorch() {
        int[] shape = Fixtures.ints("add.shape");
        float[] ap = Fixtures.floats("add.a_qparams"), bp = Fixtures.floats("add.b_qparams"), op = Fixtures.floats("add.out_qparams");
        QTensor a = quint8(Fixtures.ints("add.a_q"), shape, act(ap[0], (int) ap[1]));
        QTensor b = quint8(Fixtures.ints("add.b_q"), shape, act(bp[0], (int) bp[1]));
        QParams out = act(op[0], (int) op[1]);
        assertArrayEquals(Fixtures.ints("add.y_q"), QuantizedAdd.add(a, b, out, false).intRepr());
        assertArrayEquals(Fixtures.ints("add.y_relu_q"), QuantizedAdd.add(a, b, out, true).intRepr());
    }

    @Test
    void addClampsToTheReducedRangeAndRejectsBadInput() {
        QTensor a = new QTensor(new byte[] {(byte) 250, 0}, new int[] {2}, act(1f, 0));
        QTensor b = new QTensor(new byte[] {(byte) 250, 0}, new int[] {2}, act(1f, 0));
        QTensor y = QuantizedAdd.add(a, b, QParams.perTensor(1f, 0, QDType.QUINT8, 0, 127), true);
        assertEquals(127, y.intRepr()[0]);
        QTensor c = new QTensor(new byte[3], new int[] {3}, act(1f, 0));
        assertThrows(IllegalArgumentException.class, () -> QuantizedAdd.add(a, c, act(1f, 0), false));
        QTensor s = new QTensor(new byte[2], new int[] {2}, QParams.perTensor(1f, 0, QDType.QINT8));
        assertThrows(IllegalArgumentException.class, () -> QuantizedAdd.add(a, s, act(1f, 0), false));
    }
}
