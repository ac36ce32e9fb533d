package org.sinter.privacy.examples;

import java.util.Locale;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Dataset;
import org.sinter.data.Example;
import org.sinter.data.Subset;
import org.sinter.data.datasets.CharTextDataset;
import org.sinter.nn.Embedding;
import org.sinter.nn.LSTM;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.nn.RNNBase;
import org.sinter.nn.functional.F;
import org.sinter.optim.Adam;
import org.sinter.optim.Optimizer;
import org.sinter.privacy.PrivacyEngine;
import org.sinter.privacy.PrivateTraining;

/**
 * DP-SGD on a sequence model: a character-level LSTM language model (embedding, one LSTM layer,
 * a linear read-out at every position) on the bundled King James text, trained with per-sample
 * clipping and noise for a target ε and, for comparison, the same model and steps without DP.
 * A record is one disjoint window of {@code seqLen} characters (the privacy unit: ε bounds what the
 * model reveals about any one window). Reports validation cross-entropy in nats per character beside
 * the context-free (unigram) floor, ε after each epoch, and seconds per step.
 *
 * <pre>
 * java … org.sinter.privacy.examples.DpCharLstm [epochs] [target ε] [windows] [seq len] [hidden] [batch] [lr] [seed]
 * </pre>
 */
public final class DpCharLstm {
    private DpCharLstm() {}

    /** Embedding → LSTM (batch-first) → a linear read-out of the next character at every position. */
    static final class CharLstm extends Module {
        final Embedding embed;
        final LSTM lstm;
        final Linear head;

        CharLstm(int vocab, int hidden) {
            embed = registerModule("embed", new Embedding(vocab, 16));
            lstm = registerModule("lstm", new LSTM(16, hidden, RNNBase.options().batchFirst(true)));
            head = registerModule("head", new Linear(hidden, vocab));
        }

        @Override
        public Tensor forward(Tensor ids) {
            return head.forward(lstm.forward(embed.forward(ids)));
        }
    }

    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        double targetEpsilon = args.length > 1 ? Double.parseDouble(args[1]) : 8.0;
        int windows = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        int seqLen = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int hidden = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 256;
        double lr = args.length > 6 ? Double.parseDouble(args[6]) : 3e-3;
        long seed = args.length > 7 ? Long.parseLong(args[7]) : 0;
        CharTextDataset text = CharTextDataset.kingJames(seqLen).withStride(seqLen);
        CharTextDataset.Split split = text.split(0.9);
        Dataset<Example> train = Subset.range(split.train(), 0, Math.min(windows, split.train().size()));
        Batch val = DataLoader.builder(Subset.range(split.validation(), 0, Math.min(500, split.validation().size()))).batchSize(500).build()
                .iterator().next();
        int vocab = text.vocabulary().size();
        System.out.printf(Locale.ROOT, "char LSTM (embed 16, hidden %d, vocab %d) on %d windows of %d characters, batch %d, Adam lr %g, %d epochs;"
                        + " unigram floor %.4f nats/char; %d threads%n", hidden, vocab, train.size(), seqLen, batch, lr, epochs,
                split.validation().unigramCrossEntropy(split.train()), Sinter.getNumThreads());

        // Without DP: shuffled batches of the same size, as many steps.
        Sinter.manualSeed(seed);
        CharLstm plain = new CharLstm(vocab, hidden);
        Optimizer adam = new Adam(plain.parameters(), lr);
        var loader = DataLoader.builder(train).batchSize(batch).shuffle(true).seed(seed).build();
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            int steps = 0;
            for (Batch b : loader) {
                adam.zeroGrad();
                loss(plain, b).backward();
                adam.step();
                steps++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "non-private epoch %d: validation %.4f nats/char | %.1f s, %.3f s/step%n", e, validation(plain, val), s,
                    s / steps);
        }

        // DP-SGD (Adam on the clipped, noised gradient), σ solved for the target ε after the planned epochs.
        Sinter.manualSeed(seed);
        CharLstm model = new CharLstm(vocab, hidden);
        var engine = new PrivacyEngine(new Generator(seed + 1));
        PrivateTraining dp = engine.makePrivateWithEpsilon(model, new Adam(model.parameters(), lr), loader, targetEpsilon, 1e-5, epochs, 1.0);
        System.out.printf(Locale.ROOT, "DP-SGD: σ = %.4f, C = 1.0, q = %.5f, δ = 1e-5%n", dp.optimizer().noiseMultiplier(), dp.loader().sampleRate());
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            int steps = 0;
            for (Batch b : dp.loader()) {
                dp.optimizer().zeroGrad();
                loss(dp.module(), b).backward();
                dp.optimizer().step();
                steps++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "DP-SGD epoch %d: validation %.4f nats/char, ε = %.3f | %.1f s, %.3f s/step%n", e,
                    validation(model, val), engine.getEpsilon(1e-5), s, s / steps);
        }
    }

    /** Mean next-character cross-entropy over the batch's positions. */
    private static Tensor loss(Module model, Batch b) {
        Tensor logits = model.forward(b.input());
        return F.crossEntropy(logits.reshape(-1, logits.size(-1)), b.target().reshape(-1).to(DType.INT64));
    }

    private static double validation(Module model, Batch val) {
        model.eval();
        try (var _ = Sinter.noGrad()) {
            return loss(model, val).item();
        } finally {
            model.train();
        }
    }
}
