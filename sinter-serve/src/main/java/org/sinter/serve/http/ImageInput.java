package org.sinter.serve.http;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.sinter.Tensor;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ImageClassifier;

/**
 * An uploaded image as a classifier's input: decoded, scaled to the input's height and width, made
 * grayscale or RGB, optionally inverted (light paper to MNIST's white-on-black), scaled to [0, 1] and
 * normalised per channel; shaped {@code [1, C, H, W]} for a batching model, {@code [C, H, W]} otherwise.
 */
final class ImageInput {
    /** Larger images are refused before decoding, so a small file cannot expand into gigabytes. */
    static final int MAX_SIDE = 8192;

    private ImageInput() {}

    static Tensor tensor(byte[] bytes, ImageClassifier c, int height, int width, boolean batched) {
        BufferedImage src = decode(bytes);
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, width, height, null);
        g.dispose();
        int plane = height * width;
        float[] px = new float[c.channels() * plane];
        double sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f, gr = ((rgb >> 8) & 0xff) / 255f, b = (rgb & 0xff) / 255f;
                if (c.channels() == 1) {
                    px[y * width + x] = 0.299f * r + 0.587f * gr + 0.114f * b;
                    sum += px[y * width + x];
                } else {
                    px[y * width + x] = r;
                    px[plane + y * width + x] = gr;
                    px[2 * plane + y * width + x] = b;
                    sum += (r + gr + b) / 3;
                }
            }
        }
        boolean invert = c.invertLightBackground() && sum / plane > 0.5;
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                float v = invert ? 1 - px[i] : px[i];
                px[i] = (float) ((v - c.mean()[ch]) / c.std()[ch]);
            }
        }
        return batched ? Tensor.of(px, 1, c.channels(), height, width) : Tensor.of(px, c.channels(), height, width);
    }

    private static BufferedImage decode(byte[] bytes) {
        if (bytes.length == 0) throw ServeException.badRequest("the request body is empty: send the image file as the body");
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw ServeException.badRequest("the request body is not an image (PNG, JPEG, BMP or GIF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE) {
                    throw new ServeException(413, "the image is " + w + "x" + h + "; the server takes at most " + MAX_SIDE + " pixels a side");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServeException s) throw s;
            throw ServeException.badRequest("the image could not be decoded: " + e.getMessage());
        }
    }
}
