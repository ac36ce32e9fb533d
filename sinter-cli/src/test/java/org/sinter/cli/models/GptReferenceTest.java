package org.sinter.cli.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cli.train.TextTask;
import org.sinter.compiler.CompiledTrainingStep;
import org.sinter.compiler.Compiler;
import org.sinter.nn.io.SafeTensors;
import org.sinter.testing.Compare;
import org.sinter.testing.TensorData;
import org.sinter.testing.Tolerances.Rule;

/**
 * The zoo's GPT against PyTorch: with the weights of {@code gpt.safetensors}
 * ({@code tools/fixtures/gen_gpt.py}, the same architecture in {@code tools/fixtures/torch_gpt.py},
 * loaded by parameter name, strictly), the logits, the next-token loss and every parameter's
 * gradient, eager and compiled (the fused forward program, and the forward-and-backward training
 * step), to the layer fixtures' tolerances (NN_LAYER for outputs, NN_LAYER_GRADIENT for gradients).
 */
class GptReferenceTest {
    private static Map<String, Tensor> params, grads;
    private static Tensor ids, targets, logits, loss;
    private static Gpt.Config config;

    @BeforeAll
    static void readFixture() throws Exception {
        SafeTensors.Contents c = SafeTensors.read(Path.of(GptReferenceTest.class.getResource("/fixtures/gpt.safetensors").toURI()));
        JsonNode cfg = new ObjectMapper().readTree(c.metadata().get("config"));
        config = new Gpt.Config(cfg.get("vocab").asInt(), cfg.get("context").asInt(), cfg.get("d_model").asInt(), cfg.get("heads").asInt(),
                cfg.get("layers").asInt(), 0, cfg.get("tied_head").asBoolean());
        params = withPrefix(c.tensors(), "param.");
        grads = withPrefix(c.tensors(), "grad.");
        ids = c.tensors().get("ids");
        targets = c.tensors().get("targets");
        logits = c.tensors().get("logits");
        loss = c.tensors().get("loss");
    }

    private static Map<String, Tensor> withPrefix(Map<String, Tensor> all, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        all.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    /** The model with the fixture's weights: every PyTorch name is a Sinter name and the reverse. */
    private static Gpt model() {
        Gpt m = new Gpt(config);
        m.loadStateDict(params, true);
        return m;
    }

    @Test
    void eagerGivesPyTorchsLogitsLossAndGradients() {
        Gpt m = model();
        Tensor out = m.forward(ids);
        Tensor l = TextTask.nextTokenLoss(out, targets);
        l.backward();
        check("eager", out, l, m);
    }

    @Test
    void compiledGivesPyTorchsLogitsLossAndGradients() {
        Gpt m = model();
        try (var _ = Sinter.noGrad()) {
            Tensor out = Compiler.compile(m).call(ids)[0];
            Compare.assertClose("compiled forward logits", out, TensorData.of(logits), Rule.NN_LAYER.of(DType.FLOAT32));
            report("compiled forward", "logits", out, logits);
        }
        CompiledTrainingStep.Result r = new CompiledTrainingStep(m, TextTask::nextTokenLoss).run(ids, targets);
        check("compiled training step", r.output(), r.loss(), m);
    }

    private static void check(String how, Tensor out, Tensor l, Gpt m) {
        Compare.assertClose(how + " logits", out, TensorData.of(logits), Rule.NN_LAYER.of(DType.FLOAT32));
        Compare.assertClose(how + " loss", l.item(), loss.item(), Rule.NN_LAYER.of(DType.FLOAT32));
        report(how, "logits", out, logits);
        Map<String, Tensor> named = m.namedParameters();
        assertEquals(grads.keySet(), named.keySet(), "PyTorch's parameters are Sinter's");
        double worst = 0;
        for (var e : grads.entrySet()) {
            Tensor g = named.get(e.getKey()).grad();
            Compare.assertClose(how + " grad " + e.getKey(), g, TensorData.of(e.getValue()), Rule.NN_LAYER_GRADIENT.of(DType.FLOAT32));
            worst = Math.max(worst, g.sub(e.getValue()).abs().max().item());
        }
        System.out.printf(Locale.ROOT, "gpt %s vs PyTorch: loss |diff| %.3g, gradients max |diff| %.3g over %d parameters%n", how,
                Math.abs(l.item() - loss.item()), worst, grads.size());
    }

    private static void report(String how, String what, Tensor actual, Tensor expected) {
        System.out.printf(Locale.ROOT, "gpt %s vs PyTorch: %s max |diff| %.3g%n", how, what, actual.sub(expected).abs().max().item());
    }
}
