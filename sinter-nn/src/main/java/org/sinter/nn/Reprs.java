package org.sinter.nn;

/**
 * Python tuples for module {@code extraRepr}s: {@code (3, 3)} and {@code (64,)} (numbers and
 * booleans are in {@link PyRepr}). Shared by the convolution, pooling and normalization modules.
 */
final class Reprs {
    private Reprs() {}

    static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }
}
