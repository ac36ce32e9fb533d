package org.sinter.cli.train;

import java.util.LinkedHashSet;
import java.util.Set;
import org.sinter.data.datasets.Vocabulary;

/**
 * A character model's vocabulary as it travels with the model: a string of its characters in id
 * order (safetensors metadata {@code vocab}, checkpoint {@code extra.vocab}), so sampling and
 * evaluation decode with the characters the model was trained on, whatever text that was.
 */
public final class Vocabularies {
    private Vocabularies() {}

    public static final String KEY = "vocab";

    public static String encode(Vocabulary v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.size(); i++) sb.append(v.token(i));
        return sb.toString();
    }

    /** The vocabulary {@link #encode} wrote (its characters are already sorted and distinct). */
    public static Vocabulary decode(String s) {
        return Vocabulary.of(s);
    }

    /** The characters of {@code text} that {@code v} lacks, described for a message ("'Z' (U+005A), ..."), or "" when none. */
    public static String missing(Vocabulary v, String text) {
        Set<Integer> miss = new LinkedHashSet<>();
        text.codePoints().filter(cp -> v.id(cp) < 0).forEach(miss::add);
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (int cp : miss) {
            if (n++ == 10) { sb.append(", ... (").append(miss.size()).append(" in all)"); break; }
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(String.format(java.util.Locale.ROOT, "%s (U+%04X)", Character.isISOControl(cp) || Character.isWhitespace(cp)
                    ? "" : "'" + Character.toString(cp) + "'", cp).trim());
        }
        return sb.toString();
    }
}
