package org.sinter.nn;

/**
 * Checks of a layer's size arguments, so a bad one fails in the constructor with a message naming
 * the layer and the argument, not later in a tensor factory ("negative dimension") or a division.
 */
final class LayerArgs {
    private LayerArgs() {}

    /** Sizes that may be 0 (an empty layer is legal, as in PyTorch): features, channels, embeddings. */
    static void nonNegative(String layer, String name, int value) {
        if (value < 0) throw new IllegalArgumentException(layer + ": " + name + " should be non-negative, but got " + value);
    }

    /** A dropout probability in [0, 1]; written so that NaN fails too. */
    static void probability(String layer, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(layer + ": dropout probability has to be between 0 and 1, but got " + p);
    }

    /** Counts something is divided by: groups, heads. */
    static void positive(String layer, String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(layer + ": " + name + " should be greater than zero, but got " + value);
    }
}
