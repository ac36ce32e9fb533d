package org.sinter.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.datasets.MNIST;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sinter predict}: the top-5 classes of an image file or of a test-set image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify an image (PNG/JPEG, any size: converted to 28x28 grayscale) or MNIST test image number N.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model-file", defaultValue = "runs/lab1cnn/model.safetensors", description = "trained model (default: ${DEFAULT-VALUE})")
    Path modelFile;

    @Option(names = "--image", description = "an image file (dark digit on light paper is inverted automatically)")
    Path image;

    @Option(names = "--index", description = "index into the MNIST test set")
    Integer index;

    @Override
    public Integer call() throws Exception {
        if ((image == null) == (index == null)) throw new IllegalArgumentException("predict: give exactly one of --image or --index");
        ModelFiles.Loaded l = ModelFiles.load(modelFile);
        if (l.text() != null) throw new IllegalArgumentException("predict: " + l.spec().id + " is a text model; use 'sinter sample'");
        float[] pixels;
        String what;
        if (index != null) {
            var test = MNIST.test();
            if (index < 0 || index >= test.size()) throw new IllegalArgumentException("predict: --index must be in [0, " + test.size() + ")");
            pixels = rawPixels(test.image(index).pixels());
            what = "MNIST test image " + index + " (label " + test.label(index) + ")";
        } else {
            pixels = readImage(image);
            what = image.toString();
        }
        Tensor x = Tensor.of(pixels, 1, 1, 28, 28).sub(MNIST.MEAN).div(MNIST.STD);
        float[] p;
        try (var _ = Sinter.noGrad()) {
            Tensor out = l.model().forward(x);
            p = (l.spec().logProbabilities ? out.exp() : out.softmax(1)).reshape(-1).toFloatArray();
        }
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        System.out.println(what + ":");
        for (int k = 0; k < Math.min(5, p.length); k++) {
            System.out.printf(Locale.ROOT, "  %d  %6.2f%%%n", order[k], 100 * p[order[k]]);
        }
        return 0;
    }

    private static float[] rawPixels(byte[] bytes) {
        float[] f = new float[bytes.length];
        for (int i = 0; i < f.length; i++) f[i] = (bytes[i] & 0xff) / 255f;
        return f;
    }

    /** Reads an image, scales it to 28x28 grayscale in [0,1], inverting it when the background is light. */
    static float[] readImage(Path file) throws java.io.IOException {
        BufferedImage src = ImageIO.read(file.toFile());
        if (src == null) throw new IllegalArgumentException("predict: " + file + " is not an image ImageIO can read (PNG, JPEG, GIF, BMP)");
        BufferedImage g = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D gr = g.createGraphics();
        gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        gr.drawImage(src, 0, 0, 28, 28, null);
        gr.dispose();
        float[] px = new float[28 * 28];
        double mean = 0;
        for (int y = 0; y < 28; y++)
            for (int xx = 0; xx < 28; xx++) {
                px[y * 28 + xx] = (g.getRaster().getSample(xx, y, 0)) / 255f;
                mean += px[y * 28 + xx];
            }
        if (mean / px.length > 0.5) for (int i = 0; i < px.length; i++) px[i] = 1 - px[i];
        return px;
    }
}
