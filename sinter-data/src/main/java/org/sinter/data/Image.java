package org.sinter.data;

import java.util.Arrays;

/**
 * An 8-bit image in channel, row, column order: what image files and the IDX format hold before
 * {@link org.sinter.data.transforms.ToTensor} turns them into float tensors. Sinter's tensors have
 * no uint8 type, so raw pixels live here.
 *
 * <pre>{@code
 * Image img = MNIST.train().image(0);   // 1 x 28 x 28
 * int p = img.get(0, 14, 14);           // 0..255
 * }</pre>
 */
public final class Image {
    private final byte[] pixels;
    private final int channels;
    private final int height;
    private final int width;

    /** Wraps {@code pixels} (not copied), laid out as {@code [channels][height][width]}. */
    public Image(byte[] pixels, int channels, int height, int width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("Image: dimensions must be positive, got " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width != pixels.length) {
            throw new IllegalArgumentException("Image: " + pixels.length + " bytes do not fill " + channels + "x" + height + "x" + width);
        }
        this.pixels = pixels;
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** A copy of {@code length} bytes of {@code source} starting at {@code offset}. */
    public static Image copyOf(byte[] source, int offset, int channels, int height, int width) {
        return new Image(Arrays.copyOfRange(source, offset, offset + channels * height * width), channels, height, width);
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The pixel value in 0..255. */
    public int get(int channel, int y, int x) {
        if (channel < 0 || channel >= channels || y < 0 || y >= height || x < 0 || x >= width) {
            throw new IndexOutOfBoundsException("Image.get: (" + channel + ", " + y + ", " + x + ") is outside " + channels + "x" + height + "x" + width);
        }
        return pixels[(channel * height + y) * width + x] & 0xFF;
    }

    /** The raw bytes (shared, not copied): unsigned values, read them with {@code & 0xFF}. */
    public byte[] pixels() {
        return pixels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image i && i.channels == channels && i.height == height && i.width == width && Arrays.equals(i.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pixels) * 31 + (channels * 31 + height) * 31 + width;
    }

    @Override
    public String toString() {
        return "Image(" + channels + "x" + height + "x" + width + ")";
    }
}
