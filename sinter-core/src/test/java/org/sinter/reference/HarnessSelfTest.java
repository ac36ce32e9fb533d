package org.sinter.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sinter.Tensor;

/** Checks the harness itself: layouts really are views with the fixture's values, and a wrong op fails. */
class HarnessSelfTest {

    private static Fixtures.Case find(String id) {
        return Fixtures.load().cases().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void layoutsBuildNonContiguousViewsHoldingTheLogicalValues() {
        Map<String, Long> byLayout = Fixtures.load().cases().stream().flatMap(c -> c.inputs().stream())
                .collect(Collectors.groupingBy(InputSpec::layout, Collectors.counting()));
        for (String layout : List.of("contiguous", "transposed", "strided", "expanded")) {
            assertTrue(byLayout.getOrDefault(layout, 0L) > 20, layout + " inputs: " + byLayout);
        }
        for (Fixtures.Case c : Fixtures.load().cases()) {
            for (InputSpec in : c.inputs()) {
                InputSpec.Built b = in.build();
                assertArrayEquals(in.shape(), b.view().shape(), c.id());
                assertEquals(null, Compare.mismatch(c.id() + " view", TensorData.of(b.view()), in.data(),
                        new Compare.Tolerance(0, 0)));
                int[] sh = in.shape();
                boolean trivialTranspose = in.layout().equals("transposed") && (sh[sh.length - 1] == 1 || sh[sh.length - 2] == 1);
                if (!in.layout().equals("contiguous") && in.data().numel() > 1 && !trivialTranspose) {
                    assertFalse(b.view().isContiguous() && b.view().storageOffset() == 0,
                            c.id() + ": " + in.layout() + " input should be a non-contiguous view");
                }
                if (in.layout().equals("strided") && in.data().numel() > 0) {
                    assertTrue(b.view().storageOffset() > 0, c.id() + ": strided views start one row in");
                }
            }
        }
    }

    @Test
    void aWrongResultFailsWithTheCaseAndTheFirstMismatch() {
        Fixtures.Case c = find("add[broadcast_f32]");
        BiFunction<Tensor[], Attrs, Tensor[]> wrong = (t, a) -> new Tensor[] {t[0].add(t[1]).mul(1.001)};
        Fixtures.Case renamed = new Fixtures.Case(c.id(), "test.wrongAdd", c.attrs(), c.inputs(), c.outputs(),
                c.gradOutputs(), c.grads());
        AssertionError e = assertThrows(AssertionError.class, () -> PyTorchReferenceTest.check(renamed, wrong));
        assertTrue(e.getMessage().contains("add[broadcast_f32]") && e.getMessage().contains("first mismatch at flat index 0"),
                e.getMessage());
    }

    @Test
    void aWrongGradientFails() {
        Fixtures.Case c = find("mul[same_f32]");
        // Forward right, backward wrong: no gradient reaches t[1].
        BiFunction<Tensor[], Attrs, Tensor[]> wrong = (t, a) -> new Tensor[] {t[0].mul(t[1].detach())};
        AssertionError e = assertThrows(AssertionError.class, () -> PyTorchReferenceTest.check(c, wrong));
        assertTrue(e.getMessage().contains("grad of input"), e.getMessage());
    }

    @Test
    void everyOpKeyInTheRegistryHasFixtures() {
        var keys = Fixtures.load().cases().stream().map(Fixtures.Case::op).collect(Collectors.toSet());
        var unused = ReferenceOps.OPS.keySet().stream().filter(k -> !keys.contains(k)).toList();
        assertEquals(List.of(), unused, "registry entries without fixture cases");
        assertNotNull(Fixtures.load().torchVersion());
    }
}
