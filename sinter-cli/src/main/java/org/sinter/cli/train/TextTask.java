package org.sinter.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.CharTextDataset;
import org.sinter.cli.models.CharTransformer;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * Character-level language modeling: next-character prediction over the bundled King James
 * text (or a user's text file), 90/10 train/validation split, scored by cross-entropy in nats per
 * character against the text's unigram entropy.
 */
public final class TextTask implements Task {
    public static final int CONTEXT = 64, D_MODEL = 128, HEADS = 4, DEPTH = 3;
    private final CharTextDataset all;
    private final CharTextDataset.Split split;
    private final CharTextDataset trainView;

    public TextTask(Path textFile) throws IOException {
        all = textFile == null ? CharTextDataset.kingJames(CONTEXT) : CharTextDataset.fromFile(textFile, CONTEXT);
        split = all.split(0.9);
        // Windows every 16 characters: overlapping enough to see each position in several contexts.
        trainView = split.train().withStride(16);
    }

    public CharTextDataset dataset() {
        return all;
    }

    @Override
    public Module createModel() {
        return new CharTransformer(all.vocabulary().size(), CONTEXT, D_MODEL, HEADS, DEPTH, 0.1);
    }

    @Override
    public DataLoader<Batch> trainLoader(Generator generator, int batchSize, int workers) {
        return DataLoader.builder(trainView).batchSize(batchSize).shuffle(true).generator(generator).numWorkers(workers)
                .dropLast(true).build();
    }

    @Override
    public DataLoader<Batch> testLoader(int batchSize, int workers) {
        return DataLoader.builder(split.validation().withStride(CONTEXT)).batchSize(batchSize).numWorkers(workers).build();
    }

    @Override
    public Step step(Module model, Batch batch) {
        Tensor x = batch.input(), y = batch.target();
        Tensor logits = model.forward(x);
        int v = logits.size(-1);
        Tensor loss = F.crossEntropy(logits.reshape(-1, v), y.reshape(-1));
        long correct;
        try (var _ = org.sinter.Sinter.noGrad()) {
            correct = (long) logits.argmax(-1, false).eq(y).sum().item();
        }
        return new Step(loss, correct, y.numel());
    }

    @Override
    public String describe() {
        return all.name() + ": " + all.length() + " characters, vocabulary " + all.vocabulary().size() + ", "
                + trainView.size() + " training windows of " + CONTEXT;
    }

    @Override
    public String baseline() {
        return String.format(Locale.ROOT, "unigram entropy of the text: %.4f nats/char (a model must get well below it)",
                all.unigramEntropy());
    }
}
