package org.sinter.nn.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Tensor;
import org.sinter.testing.Compare;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.Tolerances.Rule;

/**
 * Every layer against PyTorch: the fixture's weights are loaded by PyTorch's parameter names, then
 * outputs and the gradients of inputs and of every parameter are compared.
 */
class ModuleReferenceTest {

    @TestFactory
    List<DynamicTest> modulesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FixtureFile.NN_MODULES.section("modules")) {
            String id = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(id, () -> KnownFailures.run(id, () -> check(c))));
        }
        return tests;
    }

    private static void check(JsonNode json) {
        ModuleFixtures.Case c = ModuleFixtures.Case.of(json);
        Map<String, Tensor> outputs = c.forward(c.inputs());
        if (!outputs.keySet().equals(c.outputs().keySet())) {
            throw new AssertionError(c.id() + ": outputs " + outputs.keySet() + ", PyTorch gives " + c.outputs().keySet());
        }
        c.outputs().forEach((name, expected) ->
                Compare.assertClose(c.id() + " output " + name, outputs.get(name), expected, Rule.NN_LAYER.of(c.dtype())));
        c.upstreamLoss(outputs).backward();
        c.grads().forEach((key, grad) ->
                Compare.assertClose(c.id() + " grad " + key, c.gradHolder(key).grad(), grad, Rule.NN_LAYER_GRADIENT.of(c.dtype())));
    }
}
