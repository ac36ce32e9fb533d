package org.sinter.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.CharTextDataset;
import org.sinter.nn.Embedding;
import org.sinter.nn.LSTM;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.RNNBase;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;

/** DP-SGD end to end on a sequence model: an embedding → LSTM → linear next-character model under the privacy engine. */
class DpSequenceModelTest {
    static final class CharLstm extends Module {
        final Embedding embed = registerModule("embed", new Embedding(4, 8));
        final LSTM lstm = registerModule("lstm", new LSTM(8, 16, RNNBase.options().batchFirst(true)));
        final Linear head = registerModule("head", new Linear(16, 4));

        @Override
        public Tensor forward(Tensor ids) {
            return head.forward(lstm.forward(embed.forward(ids)));
        }
    }

    private static double loss(Module m, Batch b) {
        try (var _ = Sinter.noGrad()) {
            Tensor logits = m.forward(b.input());
            return F.crossEntropy(logits.reshape(-1, 4), b.target().reshape(-1).to(DType.INT64)).item();
        }
    }

    @Test
    void lstmLanguageModelLearnsARepeatingTextUnderDpSgd() {
        // "abcd" repeated: the next character follows from the current one, so a model that learns
        // falls far below the context-free ln 4 = 1.386 nats per character.
        CharTextDataset text = CharTextDataset.of("abcd", "abcd".repeat(400), 8).withStride(8);
        Sinter.manualSeed(3);
        Module model = new CharLstm();
        var loader = DataLoader.builder(text).batchSize(20).shuffle(true).seed(3).build();
        Batch all = DataLoader.builder(text).batchSize(text.size()).build().iterator().next();
        double before = loss(model, all);
        var engine = new PrivacyEngine(new Generator(5));
        PrivateTraining dp = engine.makePrivate(model, new Adam(model.parameters(), 0.03), loader, 0.5, 1.0);
        int epochs = 6;
        for (int e = 0; e < epochs; e++) {
            for (Batch b : dp.loader()) {
                dp.optimizer().zeroGrad();
                Tensor logits = dp.module().forward(b.input());
                F.crossEntropy(logits.reshape(-1, 4), b.target().reshape(-1).to(DType.INT64)).backward();
                dp.optimizer().step();
            }
        }
        // Every trainable parameter (embedding, the LSTM's four, the head's two) is clipped and noised.
        assertEquals(model.parameters().size(), dp.module().coveredParameters().size());
        double after = loss(model, all);
        assertTrue(before > 1.3 && after < 0.5, "loss before " + before + ", after " + after);
        assertEquals(epochs * 10L, engine.accountant().steps());
        assertTrue(engine.getEpsilon(1e-5) > 0 && Double.isFinite(engine.getEpsilon(1e-5)));
    }
}
