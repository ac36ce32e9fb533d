package org.sinter.automl.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.functional.F;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DARTS' mixed operation, search network and derived network against PyTorch 1.13 (fixture written by
 * {@code src/test/python/darts_fixture.py}, which mirrors Sinter's modules name by name): outputs, the gradients of the
 * loss with respect to the inputs, {@code alpha} and every weight, and the batch norms' running statistics after the
 * training-mode forward, all in float64.
 */
class DartsNumericsTest {
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = DartsNumericsTest.class.getResourceAsStream("/automl/darts.json")) {
            assertNotNull(in, "fixture automl/darts.json missing; run sinter-automl/src/test/python/darts_fixture.py");
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void operationOrderMatchesTheFixture() {
        List<String> names = new ArrayList<>();
        fixture.get("ops").forEach(n -> names.add(n.asText()));
        assertEquals(names, Arrays.stream(Operation.values()).map(Operation::pythonName).toList());
    }

    @Test
    void mixedOperationMatchesPyTorch() {
        JsonNode c = fixture.get("mixed");
        MixedOperation op = new MixedOperation(3);
        toFloat64(op);
        op.loadStateDict(state(c.get("state")), true);
        Tensor x = tensor(c.get("x")).requiresGrad(true), alpha = tensor(c.get("alpha")).requiresGrad(true);
        Tensor y = op.forward(x, alpha.softmax(0));
        close("y", tensor(c.get("y")), y);
        y.mul(tensor(c.get("upstream"))).sum().backward();
        close("grad x", tensor(c.get("grad_x")), x.grad());
        close("grad alpha", tensor(c.get("grad_alpha")), alpha.grad());
        compareGradients(op, c.get("grads"));
        compareState(op, c.get("state_after"));
    }

    @Test
    void searchNetworkMatchesPyTorch() {
        JsonNode c = fixture.get("search");
        SearchNetwork net = new SearchNetwork(new CellStack.NetworkShape(c.get("channels").asInt(), c.get("cells").asInt(),
                c.get("nodes").asInt(), c.get("classes").asInt()), new org.sinter.Generator(0));
        toFloat64(net);
        net.loadStateDict(state(c.get("state")), true);
        net.setAlpha(tensor(c.get("alpha")));
        runNetwork(net, c);
        close("grad alpha", tensor(c.get("grad_alpha")), net.alpha().grad());
    }

    @Test
    void derivedNetworkMatchesPyTorch() {
        JsonNode c = fixture.get("derived");
        Genotype genotype = Genotype.fromJson("{\"nodes\": " + c.get("genotype") + "}");
        DerivedNetwork net = new DerivedNetwork(genotype, new CellStack.NetworkShape(c.get("channels").asInt(), c.get("cells").asInt(),
                genotype.nodeCount(), c.get("classes").asInt()));
        toFloat64(net);
        net.loadStateDict(state(c.get("state")), true);
        runNetwork(net, c);
    }

    private static void runNetwork(CellStack net, JsonNode c) {
        net.train();
        Tensor x = tensor(c.get("x")).requiresGrad(true);
        long[] targets = new long[c.get("target").size()];
        for (int i = 0; i < targets.length; i++) targets[i] = c.get("target").get(i).asLong();
        Tensor logits = net.forward(x);
        close("logits", tensor(c.get("logits")), logits);
        Tensor loss = F.crossEntropy(logits, Tensor.of(targets));
        assertEquals(c.get("loss").asDouble(), loss.item(), 1e-10);
        loss.backward();
        close("grad x", tensor(c.get("grad_x")), x.grad());
        compareGradients(net, c.get("grads"));
        compareState(net, c.get("state_after"));
    }

    private static void compareGradients(Module module, JsonNode expected) {
        Map<String, Tensor> params = module.namedParameters();
        assertEquals(expected.size(), params.values().stream().filter(p -> p.grad() != null).count(), "parameters with gradients");
        expected.properties().forEach(e -> {
            Tensor p = params.get(e.getKey());
            assertNotNull(p, "no parameter " + e.getKey());
            close("grad " + e.getKey(), tensor(e.getValue()), p.grad());
        });
    }

    private static void compareState(Module module, JsonNode expected) {
        Map<String, Tensor> state = module.stateDict();
        assertEquals(expected.size(), state.size(), "state dict size");
        expected.properties().forEach(e -> close("state " + e.getKey(), tensor(e.getValue()), state.get(e.getKey())));
    }

    /**
     * Every parameter and floating-point buffer converted to float64 in place. Not {@code Module.to(DType)}: it replaces
     * the buffers in the module's registry, while {@code BatchNorm} keeps updating the float32 tensors its fields hold.
     */
    private static void toFloat64(Module module) {
        try (var _ = Sinter.noGrad()) {
            for (Tensor p : module.parameters()) p.setData(p.to(DType.FLOAT64));
            for (Tensor b : module.buffers()) if (b.isFloatingPoint()) b.setData(b.to(DType.FLOAT64));
        }
    }

    private static Map<String, Tensor> state(JsonNode node) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            Tensor t = tensor(e.getValue());
            out.put(e.getKey(), e.getKey().endsWith("num_batches_tracked") ? t.to(DType.INT64) : t);
        });
        return out;
    }

    static Tensor tensor(JsonNode node) {
        int[] shape = new int[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = node.get("shape").get(i).asInt();
        double[] data = new double[node.get("data").size()];
        for (int i = 0; i < data.length; i++) data[i] = node.get("data").get(i).asDouble();
        return Tensor.of(data, data.length).reshape(shape); // reshape: a 0-d tensor (num_batches_tracked) has shape []
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertNotNull(actual, what + ": missing");
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) worst = Math.max(worst, Math.abs(e[i] - a[i]) / (1e-6 + Math.abs(e[i])));
        assertTrue(worst < 1e-7, what + ": worst relative error " + worst);
        try (var _ = Sinter.noGrad()) {
            assertTrue(expected.allclose(actual.to(DType.FLOAT64), 1e-7, 1e-10), what);
        }
    }
}
