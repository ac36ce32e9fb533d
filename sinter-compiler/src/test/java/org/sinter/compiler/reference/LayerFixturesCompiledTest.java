package org.sinter.compiler.reference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Tensor;
import org.sinter.compiler.CompiledFunction;
import org.sinter.nn.reference.ModuleFixtures;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.Tolerance;
import org.sinter.testing.Tolerances.Rule;

/**
 * Every layer fixture of sinter-nn (nn_modules.json.gz: Linear, activations, RNN/LSTM/GRU and
 * their cells, MultiheadAttention, Transformer layers...) compiled: the module's forward with the
 * case's weights and inputs is compiled, and its outputs (inference, fused kernels) and the
 * gradients of its inputs and parameters (through the compiled function with autograd on, and
 * through the traced forward-and-backward graph) equal PyTorch's and eager Sinter's, to the layer
 * tolerances (NN_LAYER for outputs, NN_LAYER_GRADIENT for gradients).
 */
class LayerFixturesCompiledTest {

    @TestFactory
    List<DynamicTest> everyLayerCompilesToTheEagerAndPyTorchNumbers() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FixtureFile.NN_MODULES.section("modules")) {
            tests.add(DynamicTest.dynamicTest("compiled:" + c.get("id").asText(), () -> check(ModuleFixtures.Case.of(c))));
        }
        return tests;
    }

    @AfterAll
    static void printDifferences() {
        System.out.println("layer fixtures, compiled:\n" + CompiledRuns.summary("layer "));
    }

    private static void check(ModuleFixtures.Case c) {
        Tolerance out = Rule.NN_LAYER.of(c.dtype()), grad = Rule.NN_LAYER_GRADIENT.of(c.dtype());
        List<String> names = new ArrayList<>(c.outputs().keySet());
        List<String> inputNames = new ArrayList<>();
        c.inputs().forEach((k, v) -> { if (v != null) inputNames.add(k); });
        Tensor[] inputs = inputNames.stream().map(c.inputs()::get).toArray(Tensor[]::new);

        // Eager, the reference the compiled runs must equal.
        Map<String, Tensor> eager = c.forward(c.inputs());
        c.upstreamLoss(eager).backward();
        Map<String, Tensor> eagerGrads = new LinkedHashMap<>();
        c.grads().keySet().forEach(k -> eagerGrads.put(k, c.gradHolder(k).grad()));
        clearGrads(c);

        // The inputs, by name, as the compiled function receives them (absent optional ones stay null).
        CompiledFunction f = CompiledRuns.compile(in -> {
            Map<String, Tensor> named = new LinkedHashMap<>(c.inputs());
            for (int i = 0; i < in.length; i++) named.put(inputNames.get(i), in[i]);
            Map<String, Tensor> o = c.forward(named);
            return names.stream().map(o::get).toArray(Tensor[]::new);
        }, state(c));

        Tensor[] compiled = CompiledRuns.inference(f, inputs);
        for (int i = 0; i < names.size(); i++) {
            String what = c.id() + " output " + names.get(i);
            CompiledRuns.againstPyTorch("layer outputs, inference", what, compiled[i], c.outputs().get(names.get(i)), out);
            CompiledRuns.againstEager("layer outputs, inference", what, compiled[i], eager.get(names.get(i)), out);
        }

        Tensor[] recorded = f.call(inputs);
        Map<String, Tensor> recordedByName = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) recordedByName.put(names.get(i), recorded[i]);
        c.upstreamLoss(recordedByName).backward();
        for (String k : c.grads().keySet()) {
            Tensor g = c.gradHolder(k).grad();
            CompiledRuns.againstPyTorch("layer gradients, recording", c.id() + " grad " + k, g, c.grads().get(k), grad);
            CompiledRuns.againstEager("layer gradients, recording", c.id() + " grad " + k, g, eagerGrads.get(k), grad);
        }
        clearGrads(c);

        // Forward and backward in one graph, the inputs bound beside the parameters so theirs come out too.
        Map<String, Tensor> bound = state(c);
        inputNames.forEach(k -> bound.put("input." + k, c.inputs().get(k)));
        CompiledRuns.Traced t = CompiledRuns.tracedBackward(() -> {
            Map<String, Tensor> o = c.forward(c.inputs());
            List<Tensor> r = new ArrayList<>(List.of(c.upstreamLoss(o)));
            names.forEach(n -> r.add(o.get(n)));
            return r.toArray(Tensor[]::new);
        }, bound);
        for (int i = 0; i < names.size(); i++) {
            String what = c.id() + " output " + names.get(i);
            CompiledRuns.againstPyTorch("layer outputs, traced backward", what, t.lossAndOutputs()[1 + i], c.outputs().get(names.get(i)), out);
            CompiledRuns.againstEager("layer outputs, traced backward", what, t.lossAndOutputs()[1 + i], eager.get(names.get(i)), out);
        }
        for (String k : c.grads().keySet()) {
            Tensor g = t.grads().get(c.gradHolder(k));
            CompiledRuns.againstPyTorch("layer gradients, traced backward", c.id() + " grad " + k, g, c.grads().get(k), grad);
            CompiledRuns.againstEager("layer gradients, traced backward", c.id() + " grad " + k, g, eagerGrads.get(k), grad);
        }
    }

    private static Map<String, Tensor> state(ModuleFixtures.Case c) {
        Map<String, Tensor> s = new LinkedHashMap<>(c.module().namedParameters());
        s.putAll(c.module().namedBuffers());
        return s;
    }

    private static void clearGrads(ModuleFixtures.Case c) {
        Map<Tensor, Boolean> all = new IdentityHashMap<>();
        c.module().parameters().forEach(p -> all.put(p, true));
        c.inputs().values().forEach(v -> { if (v != null) all.put(v, true); });
        CompiledRuns.clearGrads(all.keySet());
    }
}
