package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;
import org.sinter.testing.Compare;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.TensorData;
import org.sinter.testing.TensorFactory;
import org.sinter.testing.Tolerances.Rule;

/** clipGradNorm_ (2, 1, 3 and inf norms) and clipGradValue_ against PyTorch, incl. a parameter without a gradient. */
class ClipGradReferenceTest {

    @TestFactory
    List<DynamicTest> clippingMatchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FixtureFile.NN_MODULES.section("clipping")) {
            String id = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(id, () -> KnownFailures.run(id, () -> check(c))));
        }
        return tests;
    }

    private static void check(JsonNode c) {
        String id = c.get("id").asText();
        List<Tensor> params = new ArrayList<>();
        for (TensorData g : TensorData.parseList(c.get("grads"))) {
            Tensor grad = g == null ? null : TensorFactory.CPU.create(g);
            Tensor p = grad == null ? Tensor.zeros(2).requiresGrad(true) : Tensor.zerosLike(grad).requiresGrad(true);
            p.setGrad(grad);
            params.add(p);
        }
        if (c.get("kind").asText().equals("norm")) {
            JsonNode nt = c.get("norm_type");
            double normType = nt.isTextual() ? Double.POSITIVE_INFINITY : nt.asDouble();
            Tensor total = ClipGrad.clipGradNorm_(params, c.get("max_norm").asDouble(), normType);
            Compare.assertClose(id + " total norm", total.item(), c.get("totalNorm").asDouble(), Rule.TOTAL_NORM.of(total.dtype()));
        } else {
            ClipGrad.clipGradValue_(params, c.get("clip_value").asDouble());
        }
        List<TensorData> expected = TensorData.parseList(c.get("expected"));
        for (int i = 0; i < params.size(); i++) {
            if (expected.get(i) == null) {
                if (params.get(i).grad() != null) throw new AssertionError(id + ": param " + i + " gained a gradient");
                continue;
            }
            // Clipping scales (or clamps) each element once.
            Compare.assertClose(id + " grad " + i, params.get(i).grad(), expected.get(i), Rule.ONE_ROUNDING.of(expected.get(i).dtype()));
        }
    }
}
