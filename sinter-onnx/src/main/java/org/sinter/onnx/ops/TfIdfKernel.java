package org.sinter.onnx.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;

/**
 * ONNX {@code TfIdfVectorizer} over integer tokens: counts, for each row of X, the n-grams of the
 * pool ({@code pool_int64s}; {@code ngram_counts[i]} is where the (i+1)-grams start in it) found with
 * up to {@code max_skip_count} tokens skipped between neighbours, into the columns
 * {@code ngram_indexes} gives them, then weighs them by {@code mode}: TF (the counts), IDF (the
 * weight, or 1, where the count is non-zero) or TFIDF (count × weight). Matching n-grams reads
 * the tokens' values, so a model with this operator runs eagerly (see OnnxModel). String pools
 * ({@code pool_strings}) are refused: Sinter has no string tensors.
 */
final class TfIdfKernel {
    private TfIdfKernel() {}

    static void register(OpRegistry r) {
        r.add("TfIdfVectorizer", TfIdfKernel::run, "max_gram_length", "max_skip_count", "min_gram_length", "mode", "ngram_counts", "ngram_indexes",
                "pool_int64s", "pool_strings", "weights");
    }

    private static Tensor[] run(NodeContext n) {
        Tensor x = n.in(0);
        if (x.isMeta()) throw n.unsupported("input X while tracing a static graph (counting n-grams reads the token values)");
        if (x.isFloatingPoint() || x.dtype() == org.sinter.DType.BOOL) throw n.error("X must hold integer tokens, got " + x.dtype());
        if (x.dim() != 1 && x.dim() != 2) throw n.error("X must be [C] or [N, C], got " + x.describe());
        if (n.hasAttr("pool_strings")) throw n.unsupported("pool_strings (string tokens)");
        int minGram = (int) n.attrInt("min_gram_length", 0), maxGram = (int) n.attrInt("max_gram_length", 0);
        int maxSkip = (int) n.attrInt("max_skip_count", 0);
        if (minGram < 1 || maxGram < minGram || maxSkip < 0) {
            throw n.error("need 1 <= min_gram_length <= max_gram_length and max_skip_count >= 0, got " + minGram + ", " + maxGram + ", " + maxSkip);
        }
        String mode = n.attrString("mode", "");
        if (!List.of("TF", "IDF", "TFIDF").contains(mode)) throw n.error("mode must be TF, IDF or TFIDF, got '" + mode + "'");
        long[] pool = n.attrInts("pool_int64s", new long[0]);
        long[] starts = n.attrInts("ngram_counts", new long[0]);
        long[] columns = n.attrInts("ngram_indexes", new long[0]);
        float[] weights = n.attrFloats("weights", null);
        // Each pool n-gram (the key: its length and tokens) and the output column it counts into.
        Map<List<Long>, Integer> column = new HashMap<>();
        int gram = 0, features = 0;
        for (int len = 1; len <= starts.length; len++) {
            long from = starts[len - 1], to = len < starts.length ? starts[len] : pool.length;
            if (from < 0 || to > pool.length || from > to || (to - from) % len != 0) {
                throw n.error("ngram_counts " + java.util.Arrays.toString(starts) + " does not split a pool of " + pool.length + " tokens into " + len + "-grams");
            }
            for (long at = from; at < to; at += len) {
                if (gram >= columns.length) throw n.error("ngram_indexes has " + columns.length + " entries, fewer than the pool's n-grams");
                List<Long> key = new java.util.ArrayList<>();
                key.add((long) len);
                for (int j = 0; j < len; j++) key.add(pool[(int) at + j]);
                if (columns[gram] < 0) throw n.error("ngram_indexes[" + gram + "] is negative");
                column.put(key, (int) columns[gram]);
                features = Math.max(features, (int) columns[gram] + 1);
                gram++;
            }
        }
        if (weights != null && weights.length < features) throw n.error("weights has " + weights.length + " entries for " + features + " columns");
        int rows = x.dim() == 1 ? 1 : x.size(0), width = x.size(x.dim() - 1);
        long[] tokens = x.toLongArray();
        float[] out = new float[rows * features];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                for (int len = minGram; len <= maxGram; len++) {
                    // A unigram is the same whatever the skip; count it once.
                    for (int skip = 0; skip <= (len == 1 ? 0 : maxSkip); skip++) {
                        int last = i + (len - 1) * (skip + 1);
                        if (last >= width) break;
                        List<Long> key = new java.util.ArrayList<>();
                        key.add((long) len);
                        for (int j = 0; j < len; j++) key.add(tokens[r * width + i + j * (skip + 1)]);
                        Integer c = column.get(key);
                        if (c != null) out[r * features + c] += 1;
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < features; c++) {
                float count = out[r * features + c];
                float w = weights == null ? 1f : weights[c];
                out[r * features + c] = switch (mode) {
                    case "TF" -> count;
                    case "IDF" -> count > 0 ? w : 0f;
                    default -> count * w;
                };
            }
        }
        return new Tensor[] {x.dim() == 1 ? Tensor.of(out, features) : Tensor.of(out, rows, features)};
    }
}
