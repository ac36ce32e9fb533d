package org.sinter.data.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.List;
import org.sinter.data.io.Idx;
import org.sinter.data.io.IdxData;

/**
 * The MNIST handwritten digits (LeCun, Cortes, Burges; CC BY-SA 3.0), shipped inside sinter-data:
 * 60,000 training and 10,000 test images of 28 x 28 gray pixels with labels 0–9, from the original
 * IDX files (gzip-compressed resources under {@code org/sinter/data/mnist/}). No download needed.
 *
 * <pre>{@code
 * ImageDataset train = MNIST.train();         // Examples: float32 [1, 28, 28] in [0, 1], label
 * train.get(0).label();                       // 5
 * var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build();
 * }</pre>
 *
 * The decoded arrays are cached (softly) so repeated calls are cheap; datasets share them.
 */
public final class MNIST {
    /** Mean and standard deviation of the training pixels in [0, 1], for {@code Normalize}. */
    public static final double MEAN = 0.1307, STD = 0.3081;
    public static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    private static final String RESOURCES = "/org/sinter/data/mnist/";

    private static SoftReference<ImageDataset> trainCache = new SoftReference<>(null);
    private static SoftReference<ImageDataset> testCache = new SoftReference<>(null);

    private MNIST() {}

    /** The 60,000 training examples (bundled). */
    public static synchronized ImageDataset train() {
        ImageDataset d = trainCache.get();
        if (d == null) {
            d = fromResources("MNIST train", TRAIN_IMAGES, TRAIN_LABELS);
            trainCache = new SoftReference<>(d);
        }
        return d;
    }

    /** The 10,000 test examples (bundled). */
    public static synchronized ImageDataset test() {
        ImageDataset d = testCache.get();
        if (d == null) {
            d = fromResources("MNIST test", TEST_IMAGES, TEST_LABELS);
            testCache = new SoftReference<>(d);
        }
        return d;
    }

    /** MNIST-format files from a directory (the four standard names, gzip or plain with the {@code .gz} name). */
    public static ImageDataset load(Path dir, boolean train) throws IOException {
        String images = train ? TRAIN_IMAGES : TEST_IMAGES, labels = train ? TRAIN_LABELS : TEST_LABELS;
        return loadPair("MNIST " + (train ? "train" : "test"), dir, images, labels, CLASSES);
    }

    static ImageDataset loadPair(String name, Path dir, String images, String labels, List<String> classes) throws IOException {
        Path ip = dir.resolve(images), lp = dir.resolve(labels);
        return IdxImages.pair(name, Idx.read(ip), ip.toString(), Idx.read(lp), lp.toString(), classes);
    }

    private static ImageDataset fromResources(String name, String images, String labels) {
        try {
            return IdxImages.pair(name, resource(images), RESOURCES + images, resource(labels), RESOURCES + labels, CLASSES);
        } catch (IOException e) {
            throw new UncheckedIOException("MNIST: the bundled data is unreadable: " + e.getMessage(), e);
        }
    }

    private static IdxData resource(String file) throws IOException {
        try (InputStream in = MNIST.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) throw new IOException("resource " + RESOURCES + file + " is missing from the class path (is sinter-data's jar complete?)");
            return Idx.read(in, RESOURCES + file);
        }
    }
}
