package org.sinter.nn.functional;

import java.util.Locale;

/**
 * How a loss reduces its per-element values (PyTorch's {@code reduction} string): NONE keeps
 * them, MEAN averages (weighted losses divide by the summed weights), SUM adds them up.
 * BATCHMEAN, the sum divided by the batch size, is valid for {@link F#klDiv} only.
 */
public enum Reduction {
    NONE, MEAN, SUM, BATCHMEAN;

    /** Parses PyTorch's spelling: "none", "mean", "sum", "batchmean". */
    public static Reduction of(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "mean" -> MEAN;
            case "sum" -> SUM;
            case "batchmean" -> BATCHMEAN;
            default -> throw new IllegalArgumentException(name + " is not a valid value for reduction");
        };
    }

    /** PyTorch's spelling. */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
