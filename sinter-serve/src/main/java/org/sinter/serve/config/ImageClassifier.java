package org.sinter.serve.config;

import java.util.List;

/**
 * How TorchServe's {@code /predictions} endpoint turns an uploaded image into the model's input and
 * its output into top-k classes (the config's {@code image_classifier} block).
 *
 * @param channels 1 (grayscale) or 3 (RGB); the height and width come from the input's shape
 * @param mean per-channel mean subtracted after scaling pixels to [0, 1]
 * @param std per-channel standard deviation divided by
 * @param invertLightBackground invert images whose mean is above one half (MNIST digits are white on black)
 * @param output what the model's output holds: {@code logits}, {@code log_probabilities} or {@code probabilities}
 * @param labels class names by index (empty: the index itself)
 * @param topK classes returned
 */
public record ImageClassifier(int channels, double[] mean, double[] std, boolean invertLightBackground, String output,
                              List<String> labels, int topK) {
    public ImageClassifier {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("image_classifier.channels must be 1 or 3, got " + channels);
        if (mean.length != channels) throw new IllegalArgumentException("image_classifier.mean needs " + channels + " values, got " + mean.length);
        if (std.length != channels) throw new IllegalArgumentException("image_classifier.std needs " + channels + " values, got " + std.length);
        for (double s : std) if (!(s > 0)) throw new IllegalArgumentException("image_classifier.std values must be positive");
        if (!List.of("logits", "log_probabilities", "probabilities").contains(output)) {
            throw new IllegalArgumentException("image_classifier.output must be logits, log_probabilities or probabilities, got '" + output + "'");
        }
        if (topK < 1) throw new IllegalArgumentException("image_classifier.top_k must be at least 1, got " + topK);
        mean = mean.clone();
        std = std.clone();
        labels = List.copyOf(labels);
    }
}
