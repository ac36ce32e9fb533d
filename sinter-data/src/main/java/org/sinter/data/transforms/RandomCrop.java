package org.sinter.data.transforms;

import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * Zero-pads the last two dimensions by {@code padding} on every side, then cuts a random
 * {@code height x width} window (torchvision's {@code RandomCrop(size, padding)}). The window's
 * top-left corner is uniform over all positions that fit.
 */
public final class RandomCrop implements Transform<Tensor, Tensor> {
    private final int height;
    private final int width;
    private final int padding;

    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    public RandomCrop(int height, int width, int padding) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("RandomCrop: size must be positive, got " + height + "x" + width);
        if (padding < 0) throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public Tensor apply(Tensor x, Generator gen) {
        if (x.dim() < 2) throw new IllegalArgumentException("RandomCrop: expected a tensor [..., H, W], got " + x.describe());
        Tensor padded = padding == 0 ? x : x.pad(padding, padding, padding, padding);
        int h = padded.size(-2), w = padded.size(-1);
        if (h < height || w < width) {
            throw new IllegalArgumentException("RandomCrop: crop " + height + "x" + width + " is larger than the padded input " + h + "x" + w);
        }
        int top, left;
        synchronized (gen) {
            top = gen.random().nextInt(h - height + 1);
            left = gen.random().nextInt(w - width + 1);
        }
        return padded.narrow(-2, top, height).narrow(-1, left, width).contiguous();
    }

    @Override
    public String toString() {
        return "RandomCrop(size=" + height + "x" + width + ", padding=" + padding + ")";
    }
}
