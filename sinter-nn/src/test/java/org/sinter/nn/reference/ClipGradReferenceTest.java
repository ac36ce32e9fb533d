package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Tensor;
import org.sinter.nn.utils.ClipGrad;

/** clipGradNorm_ (2, 1, 3 and inf norms) and clipGradValue_ against PyTorch, incl. a parameter without a gradient. */
class ClipGradReferenceTest {

    @TestFactory
    List<DynamicTest> clippingMatchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : NnFixtures.load().get("clipping")) tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> check(c)));
        return tests;
    }

    private static void check(JsonNode c) {
        List<Tensor> params = new ArrayList<>();
        for (JsonNode g : c.get("grads")) {
            Tensor grad = NnFixtures.tensor(g);
            Tensor p = grad == null ? Tensor.zeros(2).requiresGrad(true) : Tensor.zerosLike(grad).requiresGrad(true);
            p.setGrad(grad);
            params.add(p);
        }
        if (c.get("kind").asText().equals("norm")) {
            JsonNode nt = c.get("norm_type");
            double normType = nt.isTextual() ? Double.POSITIVE_INFINITY : nt.asDouble();
            Tensor total = ClipGrad.clipGradNorm_(params, c.get("max_norm").asDouble(), normType);
            double expected = c.get("totalNorm").asDouble();
            if (Math.abs(total.item() - expected) > 1e-5 * Math.abs(expected)) {
                throw new AssertionError("total norm: Sinter " + total.item() + ", PyTorch " + expected);
            }
        } else {
            ClipGrad.clipGradValue_(params, c.get("clip_value").asDouble());
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor expected = NnFixtures.tensor(c.get("expected").get(i));
            if (expected == null) {
                if (params.get(i).grad() != null) throw new AssertionError("param " + i + " gained a gradient");
                continue;
            }
            NnFixtures.assertClose("grad " + i, params.get(i).grad(), expected, 1e-5, 1e-6);
        }
    }
}
