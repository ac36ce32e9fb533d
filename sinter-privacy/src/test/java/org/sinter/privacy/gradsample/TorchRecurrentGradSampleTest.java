package org.sinter.privacy.gradsample;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.nn.GRU;
import org.sinter.nn.GRUCell;
import org.sinter.nn.LSTM;
import org.sinter.nn.LSTMCell;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.MultiheadAttention;
import org.sinter.nn.RNN;
import org.sinter.nn.RNNBase;
import org.sinter.nn.RNNCell;
import org.sinter.nn.TransformerDecoderLayer;
import org.sinter.nn.TransformerEncoderLayer;
import org.sinter.nn.TransformerOptions;

/**
 * Per-sample gradients of the recurrent layers, the cells, multi-head attention and the Transformer layers against
 * PyTorch's, computed there by one backward pass per sample ({@code tools/fixtures/gen_privacy.py});
 * the same models, weights and inputs, float64.
 */
class TorchRecurrentGradSampleTest {
    /** 2-layer bidirectional batch-first LSTM; the head reads the last time step. */
    static final class LstmNet extends Module {
        final LSTM rnn = registerModule("rnn", new LSTM(3, 4, RNNBase.options().numLayers(2).bidirectional(true).batchFirst(true)));
        final Linear head = registerModule("head", new Linear(8, 3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor out = rnn.forward(x);
            return head.forward(out.select(1, out.size(1) - 1));
        }
    }

    /** Sequence-first GRU fed the batch-first input transposed; the head reads the mean over time. */
    static final class GruNet extends Module {
        final GRU rnn = registerModule("rnn", new GRU(3, 5));
        final Linear head = registerModule("head", new Linear(5, 3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(rnn.forward(x.transpose(0, 1)).mean(0, false));
        }
    }

    /** Two-layer batch-first ReLU RNN; head on the last layer's final hidden state. */
    static final class RnnNet extends Module {
        final RNN rnn = registerModule("rnn", new RNN(3, 4, RNNBase.options().numLayers(2).nonlinearity("relu").batchFirst(true)));
        final Linear head = registerModule("head", new Linear(4, 3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(rnn.forward(x, null).hN().select(0, 1));
        }
    }

    /** RNNCell → GRUCell → LSTMCell (no bias) at every step, unrolled by hand. */
    static final class CellNet extends Module {
        final RNNCell rnnCell = registerModule("rnn_cell", new RNNCell(3, 4));
        final GRUCell gruCell = registerModule("gru_cell", new GRUCell(4, 4));
        final LSTMCell lstmCell = registerModule("lstm_cell", new LSTMCell(4, 4, false));
        final Linear head = registerModule("head", new Linear(4, 3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h1 = null, h2 = null;
            LSTMCell.State hc = null;
            for (int t = 0; t < x.size(1); t++) {
                h1 = rnnCell.forward(x.select(1, t), h1);
                h2 = gruCell.forward(h1, h2);
                hc = lstmCell.forward(h2, hc);
            }
            return head.forward(hc.h());
        }
    }

    /** Batch-first self-attention (stacked in_proj_weight); head on the mean over positions. */
    static final class AttnNet extends Module {
        final MultiheadAttention attn = registerModule("attn", new MultiheadAttention(6, 2, MultiheadAttention.options().batchFirst(true)));
        final Linear head = registerModule("head", new Linear(6, 3));

        @Override
        public Tensor forward(Tensor x) {
            return head.forward(attn.forward(x, x, x, null, false, null, true).output().mean(1, false));
        }
    }

    /** Sequence-first attention with separate q/k/v projections and a causal mask. */
    static final class CrossAttnNet extends Module {
        final Linear key = registerModule("key", new Linear(6, 5));
        final MultiheadAttention attn = registerModule("attn", new MultiheadAttention(6, 3, MultiheadAttention.options().kdim(5).vdim(4)));
        final Linear head = registerModule("head", new Linear(6, 3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor q = x.transpose(0, 1), k = key.forward(x).transpose(0, 1), v = k.narrow(2, 0, 4);
            Tensor mask = MultiheadAttention.causalMask(x.size(1)).to(DType.FLOAT64);
            return head.forward(attn.forward(q, k, v, null, false, mask, true).output().mean(0, false));
        }
    }

    /** Batch-first encoder layer feeding a batch-first pre-norm decoder layer (causal target mask) as memory; no dropout. */
    static final class TransformerNet extends Module {
        final TransformerEncoderLayer enc = registerModule("enc",
                new TransformerEncoderLayer(6, 2, new TransformerOptions().dimFeedforward(8).dropout(0).batchFirst(true)));
        final TransformerDecoderLayer dec = registerModule("dec",
                new TransformerDecoderLayer(6, 2, new TransformerOptions().dimFeedforward(8).dropout(0).batchFirst(true).normFirst(true)));
        final Linear head = registerModule("head", new Linear(6, 3));

        @Override
        public Tensor forward(Tensor x) {
            Tensor mask = MultiheadAttention.causalMask(x.size(1)).to(DType.FLOAT64);
            return head.forward(dec.forward(x, enc.forward(x), mask, null, null, null).mean(1, false));
        }
    }

    @Test
    void bidirectionalTwoLayerLstmMatchesPyTorchsLoopOverSamples() throws IOException {
        check("lstm", new LstmNet(), 18);
    }

    @Test
    void sequenceFirstGruMatchesPyTorchsLoopOverSamples() throws IOException {
        check("gru", new GruNet(), 6);
    }

    @Test
    void twoLayerReluRnnMatchesPyTorchsLoopOverSamples() throws IOException {
        check("rnn_relu", new RnnNet(), 10);
    }

    @Test
    void unrolledCellsMatchPyTorchsLoopOverSamples() throws IOException {
        check("cells", new CellNet(), 12);
    }

    @Test
    void selfAttentionWithStackedProjectionMatchesPyTorchsLoopOverSamples() throws IOException {
        check("attention", new AttnNet(), 6);
    }

    @Test
    void attentionWithSeparateProjectionsAndMaskMatchesPyTorchsLoopOverSamples() throws IOException {
        check("cross_attention", new CrossAttnNet(), 10);
    }

    @Test
    void batchFirstTransformerEncoderAndDecoderLayersMatchPyTorchsLoopOverSamples() throws IOException {
        check("transformer", new TransformerNet(), 32);
    }

    @Test
    void sequenceFirstTransformerLayerIsRefusedNamingIt() {
        var layer = new TransformerEncoderLayer(8, 2, new TransformerOptions());
        var e = assertThrows(IllegalArgumentException.class, () -> new GradSampleModule(layer));
        assertTrue(e.getMessage().contains("sequence-first") && e.getMessage().contains("batchFirst(true)"), e.getMessage());
        assertDoesNotThrow(() -> new GradSampleModule(new TransformerEncoderLayer(8, 2, new TransformerOptions().batchFirst(true))));
    }

    private static void check(String name, Module model, int parameters) throws IOException {
        TorchGradSampleTest.check(name, model, parameters, false);
    }
}
