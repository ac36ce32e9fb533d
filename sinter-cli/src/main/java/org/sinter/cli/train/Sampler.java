package org.sinter.cli.train;

import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.models.Gpt;
import org.sinter.data.datasets.Vocabulary;
import org.sinter.nn.Module;

/** Generates text from a character language model by sampling with a temperature. */
public final class Sampler {
    private Sampler() {}

    public static String sample(Module model, Vocabulary vocab, String prompt, int length, double temperature, Generator gen) {
        if (!(temperature > 0)) throw new IllegalArgumentException("sample: temperature must be positive, got " + temperature);
        int context = model instanceof Gpt g ? g.config.context() : TextTask.CONTEXT;
        if (prompt.isEmpty()) throw new org.sinter.cli.UsageException("sample: the prompt must not be empty");
        String missing = Vocabularies.missing(vocab, prompt);
        if (!missing.isEmpty()) {
            throw new org.sinter.cli.UsageException("sample: the prompt has characters the model's vocabulary of " + vocab.size()
                    + " lacks: " + missing + "; use only characters of the text it was trained on");
        }
        StringBuilder text = new StringBuilder(prompt);
        int[] ids = vocab.encode(prompt);
        long[] window = new long[0];
        model.eval();
        try (var _ = Sinter.noGrad()) {
            java.util.List<Integer> all = new java.util.ArrayList<>();
            for (int id : ids) all.add(id);
            for (int n = 0; n < length; n++) {
                int from = Math.max(0, all.size() - context);
                window = new long[all.size() - from];
                for (int i = from; i < all.size(); i++) window[i - from] = all.get(i);
                Tensor logits = model.forward(Tensor.of(window, 1, window.length));
                float[] last = logits.select(0, 0).select(0, window.length - 1).div(temperature).softmax(0).toFloatArray();
                double u = gen.random().nextDouble(), acc = 0;
                int pick = last.length - 1;
                for (int i = 0; i < last.length; i++) {
                    acc += last[i];
                    if (u < acc) { pick = i; break; }
                }
                all.add(pick);
                text.append(vocab.token(pick));
            }
        }
        model.train();
        return text.toString();
    }
}
