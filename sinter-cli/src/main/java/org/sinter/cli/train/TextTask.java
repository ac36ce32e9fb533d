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
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;

/**
 * Character-level language modeling: next-character prediction over the bundled King James
 * text (or a user's text file), 90/10 train/validation split, scored by cross-entropy in nats per
 * character against the text's unigram entropy. The model is a text model of the zoo
 * ({@code charlm}, {@code gpt}) built for the text's vocabulary, reading windows of {@link #CONTEXT}.
 */
public final class TextTask implements Task {
    /** The characters a window holds: the text models' context. */
    public static final int CONTEXT = 64;
    /** What model files and checkpoints record as the dataset when it was the bundled text. */
    public static final String BUNDLED = "kingjames";
    private final ModelSpec spec;
    private final CharTextDataset all;
    private final String source;
    private final CharTextDataset.Split split;
    private final CharTextDataset trainView;

    private TextTask(ModelSpec spec, CharTextDataset all, String source) {
        if (spec.kind != Kind.TEXT) throw new IllegalArgumentException(spec.id + " is not a text model");
        this.spec = spec;
        this.all = all;
        this.source = source;
        split = all.split(0.9);
        // Windows every 16 characters: overlapping enough to see each position in several contexts.
        trainView = split.train().withStride(16);
    }

    /** Training {@code spec}'s model on the text (bundled when null) with its own vocabulary. */
    public static TextTask forTraining(ModelSpec spec, Path textFile) throws IOException {
        if (textFile == null) return new TextTask(spec, CharTextDataset.kingJames(CONTEXT), BUNDLED);
        String text = TextFiles.readUtf8(textFile, "--dataset");
        return new TextTask(spec, CharTextDataset.of(textFile.getFileName().toString(), checkLength(spec, textFile, text), CONTEXT),
                textFile.toAbsolutePath().toString());
    }

    /** Evaluation of a trained {@code spec} model: the text (bundled when null) encoded with the model's vocabulary. */
    public static TextTask forModel(ModelSpec spec, Vocabulary vocab, Path textFile) throws IOException {
        String text = textFile == null ? CharTextDataset.kingJamesText() : TextFiles.readUtf8(textFile, "--dataset");
        String name = textFile == null ? "King James Bible (Genesis-2 Samuel)" : textFile.getFileName().toString();
        String missing = Vocabularies.missing(vocab, text);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the text " + (textFile == null ? "(bundled King James)" : textFile.toString())
                    + " has characters the model never saw: " + missing + "; evaluate on the text it was trained on");
        }
        return new TextTask(spec, new CharTextDataset(name, vocab, vocab.encode(checkLength(spec, textFile, text)), CONTEXT, CONTEXT),
                textFile == null ? BUNDLED : textFile.toAbsolutePath().toString());
    }

    private static String checkLength(ModelSpec spec, Path file, String text) {
        // Train and validation parts must each hold a window and its target.
        int need = 10 * (CONTEXT + 1) + 1, have = text.codePointCount(0, text.length());
        if (have < need) {
            throw new IllegalArgumentException("--dataset " + file + ": " + have + " characters is too short; " + spec.id + " needs at least "
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
        return spec.create(all.vocabulary().size());
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
    public Tensor loss(Tensor output, Tensor target) {
        return nextTokenLoss(output, target);
    }

    /** Cross-entropy over every position of every window: [batch, time, vocab] logits against [batch, time] next tokens. */
    public static Tensor nextTokenLoss(Tensor logits, Tensor next) {
        return F.crossEntropy(logits.reshape(-1, logits.size(-1)), next.reshape(-1));
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
