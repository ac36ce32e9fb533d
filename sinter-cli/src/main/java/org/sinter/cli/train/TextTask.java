package org.sinter.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.cli.io.TextFiles;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.datasets.CharTextDataset;
import org.sinter.data.datasets.Vocabulary;
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
    /** What model files and checkpoints record as the dataset when it was the bundled text. */
    public static final String BUNDLED = "kingjames";
    private final CharTextDataset all;
    private final String source;
    private final CharTextDataset.Split split;
    private final CharTextDataset trainView;

    private TextTask(CharTextDataset all, String source) {
        this.all = all;
        this.source = source;
        split = all.split(0.9);
        // Windows every 16 characters: overlapping enough to see each position in several contexts.
        trainView = split.train().withStride(16);
    }

    /** Training: the text (bundled when null) with its own vocabulary. */
    public static TextTask forTraining(Path textFile) throws IOException {
        if (textFile == null) return new TextTask(CharTextDataset.kingJames(CONTEXT), BUNDLED);
        String text = TextFiles.readUtf8(textFile, "--dataset");
        return new TextTask(CharTextDataset.of(textFile.getFileName().toString(), checkLength(textFile, text), CONTEXT),
                textFile.toAbsolutePath().toString());
    }

    /** Evaluation of a trained model: the text (bundled when null) encoded with the model's vocabulary. */
    public static TextTask forModel(Vocabulary vocab, Path textFile) throws IOException {
        String text = textFile == null ? CharTextDataset.kingJamesText() : TextFiles.readUtf8(textFile, "--dataset");
        String name = textFile == null ? "King James Bible (Genesis-2 Samuel)" : textFile.getFileName().toString();
        String missing = Vocabularies.missing(vocab, text);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the text " + (textFile == null ? "(bundled King James)" : textFile.toString())
                    + " has characters the model never saw: " + missing + "; evaluate on the text it was trained on");
        }
        return new TextTask(new CharTextDataset(name, vocab, vocab.encode(checkLength(textFile, text)), CONTEXT, CONTEXT),
                textFile == null ? BUNDLED : textFile.toAbsolutePath().toString());
    }

    private static String checkLength(Path file, String text) {
        // Train and validation parts must each hold a window and its target.
        int need = 10 * (CONTEXT + 1) + 1, have = text.codePointCount(0, text.length());
        if (have < need) {
            throw new IllegalArgumentException("--dataset " + file + ": " + have + " characters is too short; charlm needs at least "
                    + need + " (a 90/10 split with a window of " + CONTEXT + " in each part)");
        }
        return text;
    }

    public CharTextDataset dataset() {
        return all;
    }

    /** Where the text came from: an absolute path, or {@link #BUNDLED}. */
    public String source() {
        return source;
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
