package org.sinter.nn.functional;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.OpCase;
import org.sinter.testing.OpCaseCheck;
import org.sinter.testing.OpFixtures;
import org.sinter.testing.TensorFactory;

/**
 * Every fixture case of gen_nn_functional.py: forward values, dtypes and shapes, and the
 * gradients of every input that requires grad (inputs, weights, biases), against PyTorch, with
 * sinter-core's harness ({@link OpCaseCheck}; tolerances: Tolerances.Rule.NN_FUNCTIONAL).
 */
class FunctionalReferenceTest {

    static OpFixtures fixtures() { return OpFixtures.load(FixtureFile.NN_FUNCTIONAL); }

    @Test
    void everyOpKeyHasACall() {
        for (OpCase c : fixtures().cases()) assertNotNull(NnReferenceOps.OPS.get(c.op()), "no Java call for op key " + c.op());
    }

    @TestFactory
    Stream<DynamicTest> pytorchReference() {
        return fixtures().cases().stream().map(c -> DynamicTest.dynamicTest(c.id(),
                () -> KnownFailures.run(c.id(), () -> OpCaseCheck.check(c, NnReferenceOps.OPS.get(c.op())))));
    }

    /** Dtypes and shapes alone, reading no values: the check a shape-only (meta) backend must pass. */
    @TestFactory
    Stream<DynamicTest> shapesAndDtypesMatchPyTorch() {
        return fixtures().cases().stream().map(c -> DynamicTest.dynamicTest("shapes:" + c.id(), () -> KnownFailures.run("shapes:" + c.id(),
                () -> OpCaseCheck.checkMeta(c, NnReferenceOps.OPS.get(c.op()), TensorFactory.META))));
    }
}
