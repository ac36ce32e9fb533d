package org.sinter.data.transforms;

import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Image;

/**
 * An 8-bit {@link Image} to a float32 tensor of shape {@code [C, H, W]} with values in [0, 1]
 * (pixel / 255), like torchvision's {@code ToTensor}.
 */
public final class ToTensor implements Transform<Image, Tensor> {
    @Override
    public Tensor apply(Image image, Generator gen) {
        return convert(image);
    }

    /** The conversion itself (no randomness involved). */
    public static Tensor convert(Image image) {
        byte[] px = image.pixels();
        float[] out = new float[px.length];
        for (int i = 0; i < px.length; i++) out[i] = (px[i] & 0xFF) / 255f;
        return Tensor.of(out, image.channels(), image.height(), image.width());
    }

    @Override
    public String toString() {
        return "ToTensor()";
    }
}
