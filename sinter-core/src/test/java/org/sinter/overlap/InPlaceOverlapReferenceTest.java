package org.sinter.overlap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * In-place writes onto aliased memory, case by case as PyTorch 1.13 recorded them
 * ({@code tools/fixtures/gen_overlap.py}): where PyTorch refuses, Sinter refuses with the same
 * error; where PyTorch's result is the op's meaning (the result on contiguous copies), Sinter's
 * is the same; where PyTorch's result depends on its kernel's visiting order ({@code defined: false}),
 * Sinter either refuses for internal overlap or computes the meaning.
 */
class InPlaceOverlapReferenceTest {
    private static final String INTERNAL = "more than one element of the written-to tensor refers to a single memory location";
    private static final String PARTIAL = "some elements of the input tensor and the written-to tensor refer to a single memory location";

    @TestFactory
    Stream<DynamicTest> pytorchOverlapCases() throws IOException {
        JsonNode root;
        try (InputStream in = InPlaceOverlapReferenceTest.class.getResourceAsStream("/fixtures/overlap.json")) {
            root = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) tests.add(DynamicTest.dynamicTest(c.get("name").asText(), () -> check(c)));
        assertTrue(tests.size() >= 40, "overlap fixture has " + tests.size() + " cases");
        return tests.stream();
    }

    private static void check(JsonNode c) {
        int n = c.get("n").asInt();
        Tensor base = Tensor.arange(0, n, 1, DType.FLOAT64);
        Tensor other = Tensor.arange(100, 116, 1, DType.FLOAT64);
        Tensor out = view(base, c.get("out"));
        List<Tensor> inputs = new ArrayList<>();
        for (JsonNode g : c.get("inputs")) inputs.add(view(g.get("base").asText().equals("self") ? base : other, g));
        String torch = c.get("torch").asText();
        boolean defined = c.get("defined").asBoolean();
        Runnable run = () -> op(c.get("op").asText()).accept(out, inputs);

        if (torch.equals("internal") || torch.equals("partial")) {
            var e = assertThrows(IllegalArgumentException.class, run::run);
            assertTrue(e.getMessage().contains(torch.equals("internal") ? INTERNAL : PARTIAL), e.getMessage());
            assertTrue(e.getMessage().startsWith(opName(c.get("op").asText())), e.getMessage());
            return;
        }
        JsonNode reference = c.get("reference");
        if (!defined && reference.isNull()) {
            // PyTorch's answer depends on its visiting order and there is no order-free meaning: refuse.
            var e = assertThrows(IllegalArgumentException.class, run::run);
            assertTrue(e.getMessage().contains(INTERNAL), e.getMessage());
            return;
        }
        run.run();
        if (!c.has("result")) return; // random fills: only the verdict is comparable
        double[] expected = doubles(defined ? c.get("result") : reference);
        assertArrayEquals(expected, base.toDoubleArray(), 0.0, c.get("name").asText());
    }

    private static Tensor view(Tensor base, JsonNode g) {
        return base.asStrided(ints(g.get("size")), ints(g.get("stride")), g.get("offset").asInt());
    }

    private static String opName(String op) {
        return switch (op) {
            case "add_alpha", "add_scalar" -> "add_";
            case "mul_scalar" -> "mul_";
            case "zero_" -> "fill_";
            case "masked_fill_" -> "copy_";
            default -> op;
        };
    }

    private static BiConsumer<Tensor, List<Tensor>> op(String name) {
        return switch (name) {
            case "add_" -> (s, in) -> s.add_(in.get(0));
            case "add_alpha" -> (s, in) -> s.add_(in.get(0), 2.0);
            case "sub_" -> (s, in) -> s.sub_(in.get(0));
            case "mul_" -> (s, in) -> s.mul_(in.get(0));
            case "div_" -> (s, in) -> s.div_(in.get(0));
            case "copy_" -> (s, in) -> s.copy_(in.get(0));
            case "add_scalar" -> (s, in) -> s.add_(1.5);
            case "mul_scalar" -> (s, in) -> s.mul_(3.0);
            case "neg_" -> (s, in) -> s.neg_();
            case "exp_" -> (s, in) -> s.exp_();
            case "clamp_" -> (s, in) -> s.clamp_(2.0, 9.0);
            case "fill_" -> (s, in) -> s.fill_(7.0);
            case "zero_" -> (s, in) -> s.zero_();
            case "masked_fill_" -> (s, in) -> s.maskedFill_(evenMask(s), -1.0);
            case "uniform_" -> (s, in) -> s.uniform_(0.0, 1.0);
            case "normal_" -> (s, in) -> s.normal_(0.0, 1.0);
            default -> throw new IllegalArgumentException("overlap fixture: unknown op " + name);
        };
    }

    private static Tensor evenMask(Tensor t) {
        return Tensor.arange(t.numel()).remainder(2).eq(0).reshape(t.shape());
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    private static double[] doubles(JsonNode a) {
        double[] r = new double[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asDouble();
        return r;
    }
}
