package org.sinter.data.datasets;

import java.util.List;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Dataset;
import org.sinter.data.Example;
import org.sinter.data.Image;
import org.sinter.data.transforms.ToTensor;
import org.sinter.data.transforms.Transform;

/**
 * Labelled 8-bit images held in memory, the shape of MNIST and Fashion-MNIST (torchvision's
 * {@code VisionDataset}). Sample {@code i} is an {@link Example} whose input is the image passed
 * through the dataset's transform ({@link ToTensor} unless another was given) and whose target is the
 * int64 class index.
 *
 * <pre>{@code
 * ImageDataset train = MNIST.train().withTransform(
 *         new ToTensor().andThen(new Normalize(new double[] {MNIST.MEAN}, new double[] {MNIST.STD})));
 * Tensor x = train.inputs();    // all images at once: float32 [60000, 1, 28, 28] in [0, 1]
 * }</pre>
 */
public final class ImageDataset implements Dataset<Example> {
    private final String name;
    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classes;
    private final Transform<? super Image, ? extends Tensor> transform;

    /**
     * Wraps {@code pixels} ({@code count x channels x height x width}) and {@code labels}
     * ({@code count} class indices); the arrays are shared, not copied.
     */
    public ImageDataset(String name, byte[] pixels, byte[] labels, int channels, int height, int width,
                        List<String> classes, Transform<? super Image, ? extends Tensor> transform) {
        this.count = labels.length;
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(name + ": " + pixels.length + " pixel bytes do not hold " + count + " images of "
                    + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < count; i++) {
            if ((labels[i] & 0xFF) >= classes.size()) {
                throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xFF) + " of sample " + i + " is not one of the "
                        + classes.size() + " classes");
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = List.copyOf(classes);
        this.transform = transform;
    }

    /** The same images with another transform (the pixel arrays are shared). */
    public ImageDataset withTransform(Transform<? super Image, ? extends Tensor> newTransform) {
        return new ImageDataset(name, pixels, labels, channels, height, width, classes, newTransform);
    }

    public String name() {
        return name;
    }

    /** Class names, indexed by label. */
    public List<String> classes() {
        return classes;
    }

    @Override
    public int size() {
        return count;
    }

    /** The raw image {@code index}. */
    public Image image(int index) {
        Dataset.checkIndex(name, index, count);
        return Image.copyOf(pixels, index * channels * height * width, channels, height, width);
    }

    /** The class index of sample {@code index}. */
    public int label(int index) {
        return labels[Dataset.checkIndex(name, index, count)] & 0xFF;
    }

    @Override
    public Example get(int index) {
        return get(index, Generator.global());
    }

    @Override
    public Example get(int index, Generator gen) {
        return Example.of(transform.apply(image(index), gen), label(index));
    }

    /** Every image as one float32 tensor {@code [N, C, H, W]} in [0, 1], without the transform. */
    public Tensor inputs() {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) out[i] = (pixels[i] & 0xFF) / 255f;
        return Tensor.of(out, count, channels, height, width);
    }

    /** Every label as an int64 tensor {@code [N]}. */
    public Tensor targets() {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = labels[i] & 0xFF;
        return Tensor.of(out);
    }

    /** How many samples each class has. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (byte l : labels) counts[l & 0xFF]++;
        return counts;
    }

    /** Shape of one image: {@code [C, H, W]}. */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    @Override
    public String toString() {
        return name + " (" + count + " images " + channels + "x" + height + "x" + width + ", " + classes.size() + " classes)";
    }
}
