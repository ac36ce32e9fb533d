package org.sinter.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;

/** Behaviour the fixtures do not pin down: modes, dropout, masks' effect, shapes, names and errors. */
class LayerBehaviourTest {
    @BeforeEach
    void seed() {
        Sinter.manualSeed(5);
    }

    @Test
    void recurrentParameterNamesFollowPyTorch() {
        GRU gru = new GRU(3, 4, RNNBase.options().numLayers(2).bidirectional(true));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(gru.namedParameters().keySet()));
        assertArrayEquals(new int[] {12, 8}, gru.namedParameters().get("weight_ih_l1").shape());
        assertArrayEquals(new int[] {16, 3}, new LSTM(3, 4).namedParameters().get("weight_ih_l0").shape());
    }

    @Test
    void dropoutBetweenLayersOnlyWhileTraining() {
        LSTM lstm = new LSTM(3, 8, RNNBase.options().numLayers(2).dropout(0.5));
        Tensor x = Tensor.randn(5, 2, 3);
        Tensor a = lstm.forward(x), b = lstm.forward(x);
        assertFalse(a.equal(b), "training-mode dropout should make two runs differ");
        lstm.eval();
        assertTrue(lstm.forward(x).equal(lstm.forward(x)));
        // One layer: nothing between layers, so no randomness even in training.
        LSTM single = new LSTM(3, 8, RNNBase.options().dropout(0.5));
        assertTrue(single.forward(x).equal(single.forward(x)));
    }

    @Test
    void recurrentShapes() {
        LSTM lstm = new LSTM(3, 4, RNNBase.options().numLayers(2).bidirectional(true).batchFirst(true));
        RNNBase.Result r = lstm.forward(Tensor.randn(2, 5, 3), null, null);
        assertArrayEquals(new int[] {2, 5, 8}, r.output().shape());
        assertArrayEquals(new int[] {4, 2, 4}, r.hN().shape());
        assertArrayEquals(new int[] {4, 2, 4}, r.cN().shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(2, 5, 4)));
        assertTrue(e.getMessage().contains("input_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(2, 5, 3), Tensor.zeros(2, 2, 4), null));
        assertTrue(e.getMessage().contains("h0") && e.getMessage().contains("(4, 2, 4)"), e.getMessage());
    }

    @Test
    void keyPaddingMaskHidesPaddedKeys() {
        MultiheadAttention m = new MultiheadAttention(8, 2, MultiheadAttention.options().batchFirst(true));
        Tensor q = Tensor.randn(1, 3, 8), k = Tensor.randn(1, 4, 8), v = Tensor.randn(1, 4, 8);
        Tensor kpm = Tensor.of(new boolean[] {false, false, true, true}, 1, 4);
        MultiheadAttention.Result r = m.forward(q, k, v, kpm, null);
        // Changing the padded keys and values changes nothing.
        Tensor k2 = k.clone(), v2 = v.clone();
        k2.narrow(1, 2, 2).fill_(7);
        v2.narrow(1, 2, 2).fill_(-3);
        assertTrue(r.output().allclose(m.forward(q, k2, v2, kpm, null).output(), 1e-5, 1e-6));
        assertEquals(0, r.weights().narrow(2, 2, 2).abs().sum().item());
        assertTrue(r.weights().sum(-1, false).allclose(Tensor.ones(1, 3), 1e-5, 1e-6));
    }

    @Test
    void causalMaskBlocksTheFuture() {
        Tensor mask = MultiheadAttention.causalMask(3);
        assertEquals(Double.NEGATIVE_INFINITY, mask.get(0, 1));
        assertEquals(0, mask.get(2, 1));
        MultiheadAttention m = new MultiheadAttention(4, 1);
        Tensor x = Tensor.randn(3, 1, 4);
        Tensor w = m.forward(x, x, x, null, mask).weights();
        assertEquals(0, w.get(0, 0, 1));
        assertEquals(1, w.get(0, 0, 0), 1e-6);
        // The first position's output ignores later inputs.
        Tensor x2 = x.clone();
        x2.narrow(0, 1, 2).fill_(5);
        Tensor y1 = m.forward(x, x, x, null, mask).output().select(0, 0);
        Tensor y2 = m.forward(x2, x2, x2, null, mask).output().select(0, 0);
        assertTrue(y1.allclose(y2, 1e-5, 1e-6));
    }

    @Test
    void attentionRejectsBadShapes() {
        MultiheadAttention m = new MultiheadAttention(8, 2);
        assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(6, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.randn(3, 2, 8), Tensor.randn(4, 2, 8), Tensor.randn(4, 2, 8), null, Tensor.zeros(3, 5)));
        assertTrue(e.getMessage().contains("attn_mask"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(Tensor.randn(3, 2, 7)));
    }

    @Test
    void transformerLayersKeepShapeAndNames() {
        TransformerDecoderLayer dec = new TransformerDecoderLayer(8, 2, new TransformerOptions().dimFeedforward(16).batchFirst(true));
        Tensor y = dec.forward(Tensor.randn(2, 3, 8), Tensor.randn(2, 5, 8));
        assertArrayEquals(new int[] {2, 3, 8}, y.shape());
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "multihead_attn.in_proj_weight", "multihead_attn.in_proj_bias", "multihead_attn.out_proj.weight", "multihead_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
                "norm3.weight", "norm3.bias"), List.copyOf(dec.stateDict().keySet()));
        TransformerEncoderLayer enc = new TransformerEncoderLayer(8, 2, new TransformerOptions().dimFeedforward(16));
        enc.eval();
        Tensor x = Tensor.randn(4, 2, 8);
        assertTrue(enc.forward(x).equal(enc.forward(x)), "eval mode is deterministic");
    }

    @Test
    void activationsAndIdentity() {
        Tensor x = Tensor.of(new float[] {-2, -0.5f, 0.5f, 2});
        assertTrue(new Identity().forward(x) == x);
        assertTrue(new ELU(0.5).forward(x).allclose(Tensor.of(new float[] {(float) (0.5 * Math.expm1(-2)), (float) (0.5 * Math.expm1(-0.5)), 0.5f, 2}),
                1e-6, 1e-7));
        assertTrue(new Sequential(new Linear(4, 3), new GELU(), new Linear(3, 2), new LogSoftmax(-1)).forward(Tensor.randn(5, 4))
                .exp().sum(-1, false).allclose(Tensor.ones(5), 1e-5, 1e-6));
    }
}
