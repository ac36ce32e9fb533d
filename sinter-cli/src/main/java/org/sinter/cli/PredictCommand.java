package org.sinter.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.io.Images;
import org.sinter.data.datasets.MNIST;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sinter predict}: the top-5 classes of an image file or of a test-set image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify an image (PNG/JPEG, any size: converted to 28x28 grayscale) or MNIST test image number N.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model-file", defaultValue = "runs/lab1cnn/model.safetensors", description = "trained model or checkpoint (default: ${DEFAULT-VALUE})")
    Path modelFile;

    @Option(names = "--image", description = "an image file (dark digit on light paper is inverted automatically)")
    Path image;

    @Option(names = "--index", description = "index into the MNIST test set")
    Integer index;

    @Override
    public Integer call() throws Exception {
        if ((image == null) == (index == null)) throw new UsageException("predict: give exactly one of --image or --index");
        ModelFiles.Loaded l = ModelFiles.load(modelFile);
        if (l.isText()) throw new UsageException("predict: " + modelFile + " holds " + l.spec().id + ", a text model; use 'sinter sample'");
        float[] pixels;
        String what;
        if (index != null) {
            var test = MNIST.test();
            if (index < 0 || index >= test.size()) throw new UsageException("predict: --index must be in [0, " + test.size() + ")");
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

    /**
     * Reads an image, scales it to 28x28 grayscale in [0,1], inverting it when the background is
     * light: MNIST digits are white on black.
     */
    static float[] readImage(Path file) throws java.io.IOException {
        BufferedImage src = opaque(Images.read(file, "--image"), file);
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

    /**
     * The image with its transparency flattened onto the background its visible strokes imply:
     * dark strokes (a pen drawing) go onto white, light ones onto black. Drawn onto Java's default
     * black, a dark digit on a transparent background would vanish.
     */
    static BufferedImage opaque(BufferedImage src, Path file) {
        if (!src.getColorModel().hasAlpha()) return src;
        double lum = 0, weight = 0;
        for (int y = 0; y < src.getHeight(); y++)
            for (int x = 0; x < src.getWidth(); x++) {
                int argb = src.getRGB(x, y);
                double a = (argb >>> 24) / 255.0;
                lum += a * (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff)) / 255;
                weight += a;
            }
        if (weight == 0) throw new IllegalArgumentException("--image " + file + ": the image is fully transparent");
        Color background = lum / weight < 0.5 ? Color.WHITE : Color.BLACK;
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = out.createGraphics();
        gr.setColor(background);
        gr.fillRect(0, 0, out.getWidth(), out.getHeight());
        gr.drawImage(src, 0, 0, null);
        gr.dispose();
        return out;
    }
}
