package org.sinter.data.datasets;

import java.util.Arrays;
import java.util.TreeSet;
import org.sinter.Tensor;

/**
 * The characters (Unicode code points) of a text, sorted, each with an id 0..size-1: the tokenizer
 * of a character-level language model.
 *
 * <pre>{@code
 * Vocabulary v = Vocabulary.of("hello");   // [e, h, l, o]
 * int[] ids = v.encode("hole");            // [1, 3, 2, 0]
 * v.decode(ids);                           // "hole"
 * }</pre>
 */
public final class Vocabulary {
    private final int[] codePoints;

    private Vocabulary(int[] sortedCodePoints) {
        this.codePoints = sortedCodePoints;
    }

    /** The vocabulary of every character in {@code text}. */
    public static Vocabulary of(String text) {
        TreeSet<Integer> set = new TreeSet<>();
        text.codePoints().forEach(set::add);
        return new Vocabulary(set.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return codePoints.length;
    }

    /** The id of a code point, or -1 when it is not in the vocabulary. */
    public int id(int codePoint) {
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i < 0 ? -1 : i;
    }

    /** The character with this id, as a string. */
    public String token(int id) {
        if (id < 0 || id >= codePoints.length) throw new IndexOutOfBoundsException("Vocabulary: id " + id + " is not in [0, " + codePoints.length + ")");
        return Character.toString(codePoints[id]);
    }

    public int[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        int[] out = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            out[i] = id(cps[i]);
            if (out[i] < 0) {
                throw new IllegalArgumentException("Vocabulary.encode: character " + describe(cps[i]) + " at position " + i
                        + " is not in the vocabulary of " + codePoints.length + " characters");
            }
        }
        return out;
    }

    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) sb.appendCodePoint(codePoints[checkId(id)]);
        return sb.toString();
    }

    /** Decodes an integer tensor of ids (any shape, read in order). */
    public String decode(Tensor ids) {
        long[] a = ids.toLongArray();
        StringBuilder sb = new StringBuilder(a.length);
        for (long id : a) sb.appendCodePoint(codePoints[checkId(Math.toIntExact(id))]);
        return sb.toString();
    }

    private int checkId(int id) {
        if (id < 0 || id >= codePoints.length) throw new IndexOutOfBoundsException("Vocabulary.decode: id " + id + " is not in [0, " + codePoints.length + ")");
        return id;
    }

    private static String describe(int cp) {
        return String.format("'%s' (U+%04X)", Character.toString(cp), cp);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Vocabulary(").append(codePoints.length).append(": ");
        for (int cp : codePoints) sb.append(cp == '\n' ? "\\n" : Character.toString(cp));
        return sb.append(')').toString();
    }
}
