package org.sinter.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.OpCall;
import org.sinter.testing.OpCase;
import org.sinter.testing.OpCaseCheck;
import org.sinter.testing.OpFixtures;
import org.sinter.testing.TensorFactory;

/**
 * Every tensor op against PyTorch 1.13: one dynamic test per fixture case (tools/fixtures), named
 * like {@code add[broadcast_f32]}. Each runs {@link OpCaseCheck} with the call from
 * {@link ReferenceOps}: dtype, shape and values of every output, then every input's gradient;
 * and once more on meta tensors, checking only dtypes and shapes ({@code shapes:add[broadcast_f32]}).
 */
class PyTorchReferenceTest {

    static OpFixtures fixtures() { return OpFixtures.load(FixtureFile.CORE_OPS); }

    @TestFactory
    Stream<DynamicTest> opsMatchPyTorch() {
        return fixtures().cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> KnownFailures.run(c.id(), () -> check(c))));
    }

    @TestFactory
    Stream<DynamicTest> toStringMatchesPyTorch() {
        return fixtures().printing().stream().map(p -> DynamicTest.dynamicTest(p.id(),
                () -> KnownFailures.run(p.id(), () -> assertEquals(p.text(), p.input().toTensor().toString(),
                        p.id() + ": Sinter prints differently from PyTorch's str() of " + p.input().describe()))));
    }

    /**
     * Dtype and shape of every output on the meta backend (inputs without values): every meta
     * function, and every composite over them, agrees with PyTorch without computing anything.
     */
    @TestFactory
    Stream<DynamicTest> shapesAndDtypesMatchPyTorch() {
        return fixtures().cases().stream().map(c -> DynamicTest.dynamicTest("shapes:" + c.id(),
                () -> KnownFailures.run("shapes:" + c.id(), () -> OpCaseCheck.checkMeta(c, call(c), TensorFactory.META))));
    }

    @Test
    void everyFixtureOpHasARegistryEntry() {
        List<String> missing = fixtures().cases().stream().map(OpCase::op).distinct()
                .filter(op -> !ReferenceOps.OPS.containsKey(op)).toList();
        assertEquals(List.of(), missing, "fixture op keys without a ReferenceOps entry");
    }

    @Test
    void everyRegistryEntryHasFixtures() {
        var keys = fixtures().cases().stream().map(OpCase::op).collect(Collectors.toSet());
        var unused = ReferenceOps.OPS.keySet().stream().filter(k -> !keys.contains(k)).toList();
        assertEquals(List.of(), unused, "registry entries without fixture cases");
    }

    static void check(OpCase c) { OpCaseCheck.check(c, call(c)); }

    static OpCall call(OpCase c) {
        OpCall op = ReferenceOps.OPS.get(c.op());
        if (op == null) fail(c.id() + ": no ReferenceOps entry for op key '" + c.op() + "'");
        return op;
    }
}
