package org.sinter.onnx.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.onnx.proto.Onnx.ModelProto;

/**
 * A short deterministic slice of the protobuf-field fuzzer (tools/onnx_fuzz.sh runs 10,000 cases):
 * mutated copies of the checked-in PyTorch exports each load and run, or fail with an
 * OnnxException; none crashes. The per-case limit is a generous hang guard, not a speed check.
 */
class FieldFuzzerTest {
    private static final List<Path> SEEDS = List.of(Path.of("src/test/resources/pytorch/mlp/model.onnx"),
            Path.of("src/test/resources/pytorch/lenet5/model.onnx"), Path.of("src/test/resources/pytorch/transformer_encoder/model.onnx"));

    @Test
    void mutatedRealModelsLoadOrFailWithOnnxException() throws Exception {
        FieldFuzzer fuzzer = new FieldFuzzer(SEEDS, 120_000);
        List<FieldFuzzer.Case> cases = fuzzer.run(7, 0, 150);
        List<String> bad = new ArrayList<>();
        for (FieldFuzzer.Case c : cases) {
            if (c.outcome() == FieldFuzzer.Outcome.CRASH || c.outcome() == FieldFuzzer.Outcome.HANG) {
                bad.add(c.index() + " " + c.seed() + " " + c.mutations() + ": " + c.outcome() + " " + c.detail());
            }
        }
        assertTrue(bad.isEmpty(), bad.size() + " cases crashed or hung:\n" + String.join("\n", bad));
        Map<FieldFuzzer.Outcome, Integer> t = FieldFuzzer.tally(cases);
        // The slice exercises both sides: most mutations are refused at load, some still load and run.
        assertTrue(t.get(FieldFuzzer.Outcome.REFUSED_AT_LOAD) > 50, t.toString());
        assertTrue(t.get(FieldFuzzer.Outcome.LOADED_AND_RAN) > 0, t.toString());
        assertTrue(FieldFuzzer.byKind(cases).size() >= 12, "mutation kinds used: " + FieldFuzzer.byKind(cases));
    }

    @Test
    void casesAreReproducibleFromTheirSeedAndIndex() throws Exception {
        ModelProto m = ModelProto.parseFrom(java.nio.file.Files.readAllBytes(SEEDS.get(0)));
        List<String> a = new ArrayList<>(), b = new ArrayList<>();
        assertEquals(new FieldMutator(42).mutate(m, 3, a), new FieldMutator(42).mutate(m, 3, b));
        assertEquals(a, b);
        FieldFuzzer fuzzer = new FieldFuzzer(SEEDS, 120_000);
        FieldFuzzer.Case first = fuzzer.runCase(3, 17), again = fuzzer.runCase(3, 17);
        assertEquals(first.mutations(), again.mutations());
        assertEquals(first.outcome(), again.outcome());
    }
}
