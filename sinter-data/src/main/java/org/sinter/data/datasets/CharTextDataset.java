package org.sinter.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.sinter.Tensor;
import org.sinter.data.Dataset;
import org.sinter.data.Example;

/**
 * Character-level language modelling over a text: sample {@code i} is a window of
 * {@code sequenceLength} character ids starting at {@code i * stride} (input, int64 {@code [L]})
 * and the same window shifted by one character (target, int64 {@code [L]}): each position's target
 * is the next character.
 *
 * <pre>{@code
 * var text = CharTextDataset.kingJames(128);                // bundled, public domain
 * var split = text.split(0.9);                              // first 90% train, last 10% validation
 * var loader = DataLoader.builder(split.train()).batchSize(32).shuffle(true).seed(1).build();
 * double floor = split.validation().unigramCrossEntropy(split.train());  // nats/char of a context-free model
 * String s = text.vocabulary().decode(split.train().get(0).input());
 * }</pre>
 *
 * The bundled text is Genesis to 2 Samuel of the King James Bible (1.31 million characters), from
 * Debian's {@code bible-kjv-text}; the King James text is in the public domain.
 */
public final class CharTextDataset implements Dataset<Example> {
    /** Class-path resource of the bundled King James excerpt (gzip, UTF-8). */
    public static final String KING_JAMES_RESOURCE = "/org/sinter/data/text/kjv-genesis-2samuel.txt.gz";

    private final String name;
    private final Vocabulary vocabulary;
    private final int[] ids;
    private final int sequenceLength;
    private final int stride;

    /** Windows of {@code sequenceLength} over {@code ids}, starting every {@code stride} characters. */
    public CharTextDataset(String name, Vocabulary vocabulary, int[] ids, int sequenceLength, int stride) {
        if (sequenceLength <= 0) throw new IllegalArgumentException(name + ": sequenceLength must be positive, got " + sequenceLength);
        if (stride <= 0) throw new IllegalArgumentException(name + ": stride must be positive, got " + stride);
        if (ids.length < sequenceLength + 1) {
            throw new IllegalArgumentException(name + ": a text of " + ids.length + " characters is too short for one window of "
                    + sequenceLength + " plus its next-character target");
        }
        this.name = name;
        this.vocabulary = vocabulary;
        this.ids = ids;
        this.sequenceLength = sequenceLength;
        this.stride = stride;
    }

    /** Non-overlapping windows (stride = sequenceLength) over {@code text}, with its own vocabulary. */
    public static CharTextDataset of(String name, String text, int sequenceLength) {
        Vocabulary v = Vocabulary.of(text);
        return new CharTextDataset(name, v, v.encode(text), sequenceLength, sequenceLength);
    }

    /** A UTF-8 text file (gzip-compressed when it ends in {@code .gz}). */
    public static CharTextDataset fromFile(Path file, int sequenceLength) throws IOException {
        String text;
        if (file.toString().endsWith(".gz")) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            text = Files.readString(file, StandardCharsets.UTF_8);
        }
        return of(file.getFileName().toString(), text, sequenceLength);
    }

    /** The bundled King James excerpt. */
    public static CharTextDataset kingJames(int sequenceLength) {
        return of("King James Bible (Genesis-2 Samuel)", kingJamesText(), sequenceLength);
    }

    /** The bundled King James excerpt as a string. */
    public static String kingJamesText() {
        try (InputStream raw = CharTextDataset.class.getResourceAsStream(KING_JAMES_RESOURCE)) {
            if (raw == null) throw new IOException("resource " + KING_JAMES_RESOURCE + " is missing from the class path");
            try (InputStream in = new GZIPInputStream(raw)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CharTextDataset: cannot read the bundled text: " + e.getMessage(), e);
        }
    }

    /** A train part and a validation part of one text, sharing its vocabulary. */
    public record Split(CharTextDataset train, CharTextDataset validation) {}

    /**
     * The first {@code trainFraction} of the characters for training and the rest for validation
     * (contiguous parts, so no window crosses the boundary).
     */
    public Split split(double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException(name + ": trainFraction must be in (0, 1), got " + trainFraction);
        }
        int cut = (int) Math.round(ids.length * trainFraction);
        return new Split(
                new CharTextDataset(name + " [train]", vocabulary, java.util.Arrays.copyOfRange(ids, 0, cut), sequenceLength, stride),
                new CharTextDataset(name + " [validation]", vocabulary, java.util.Arrays.copyOfRange(ids, cut, ids.length), sequenceLength, stride));
    }

    /** The same text with another window stride (e.g. 1 for every position). */
    public CharTextDataset withStride(int newStride) {
        return new CharTextDataset(name, vocabulary, ids, sequenceLength, newStride);
    }

    public String name() {
        return name;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int sequenceLength() {
        return sequenceLength;
    }

    /** Number of characters in this text. */
    public int length() {
        return ids.length;
    }

    /** The text's character ids (a copy). */
    public int[] ids() {
        return ids.clone();
    }

    /** The text itself. */
    public String text() {
        return vocabulary.decode(ids);
    }

    @Override
    public int size() {
        return (ids.length - sequenceLength - 1) / stride + 1;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(name, index, size());
        int start = index * stride;
        long[] x = new long[sequenceLength], y = new long[sequenceLength];
        for (int i = 0; i < sequenceLength; i++) {
            x[i] = ids[start + i];
            y[i] = ids[start + i + 1];
        }
        return new Example(Tensor.of(x), Tensor.of(y));
    }

    /** How often each character id occurs. */
    public long[] counts() {
        long[] c = new long[vocabulary.size()];
        for (int id : ids) c[id]++;
        return c;
    }

    /** Entropy of the character frequencies of this text, in nats per character. */
    public double unigramEntropy() {
        long[] c = counts();
        double h = 0;
        for (long k : c) {
            if (k == 0) continue;
            double p = (double) k / ids.length;
            h -= p * Math.log(p);
        }
        return h;
    }

    /** {@link #unigramEntropy()} in bits per character. */
    public double unigramEntropyBits() {
        return unigramEntropy() / Math.log(2);
    }

    /**
     * Cross-entropy, in nats per character, of this text under the character frequencies of
     * {@code model}'s text (add-one smoothed so unseen characters cost finite): the validation loss a
     * model that ignores context would reach. A language model should end well below it.
     */
    public double unigramCrossEntropy(CharTextDataset model) {
        if (model.vocabulary != vocabulary) throw new IllegalArgumentException(name + ": the model text has another vocabulary");
        long[] c = model.counts();
        double total = model.ids.length + c.length;
        long[] mine = counts();
        double h = 0;
        for (int id = 0; id < mine.length; id++) {
            if (mine[id] == 0) continue;
            h -= (double) mine[id] / ids.length * Math.log((c[id] + 1) / total);
        }
        return h;
    }

    @Override
    public String toString() {
        return name + " (" + ids.length + " characters, vocabulary " + vocabulary.size() + ", " + size() + " windows of " + sequenceLength + ")";
    }
}
