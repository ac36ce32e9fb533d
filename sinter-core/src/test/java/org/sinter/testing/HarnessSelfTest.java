package org.sinter.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Checks the harness itself: layouts really are views with the fixture's values, a wrong value or
 * gradient fails with a message that locates it, and inputs come from the chosen factory.
 */
class HarnessSelfTest {

    private static OpFixtures ops() { return OpFixtures.load(FixtureFile.CORE_OPS); }

    @Test
    void layoutsBuildNonContiguousViewsHoldingTheLogicalValues() {
        Map<String, Long> byLayout = ops().cases().stream().flatMap(c -> c.inputs().stream())
                .collect(Collectors.groupingBy(InputSpec::layout, Collectors.counting()));
        for (String layout : List.of("contiguous", "transposed", "strided", "expanded")) {
            assertTrue(byLayout.getOrDefault(layout, 0L) > 20, layout + " inputs: " + byLayout);
        }
        for (OpCase c : ops().cases()) {
            for (InputSpec in : c.inputs()) {
                InputSpec.Built b = in.build();
                assertArrayEquals(in.shape(), b.view().shape(), c.id());
                assertNull(Compare.mismatch(c.id() + " view", TensorData.of(b.view()), in.data(), Tolerance.EXACT));
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
    void aWrongResultFailsNamingTheCaseOutputAndWorstElement() {
        // Renamed op key: the wrong call gets the default tolerance, not add's.
        OpCase c = ops().find("add[broadcast_f32]").withOp("test.wrongAdd");
        AssertionError e = assertThrows(AssertionError.class,
                () -> OpCaseCheck.check(c, (t, a) -> new Tensor[] {t[0].add(t[1]).mul(1.001)}));
        String m = e.getMessage();
        for (String part : List.of("add[broadcast_f32]", "output 0 float32[", "elements differ", "max abs error",
                "max rel error", "worst element [", "rtol=1.0E-5 atol=1.0E-6")) {
            assertTrue(m.contains(part), "'" + part + "' missing from: " + m);
        }
    }

    @Test
    void aWrongGradientFails() {
        OpCase c = ops().find("mul[same_f32]");
        // Forward right, backward wrong: no gradient reaches t[1].
        AssertionError e = assertThrows(AssertionError.class,
                () -> OpCaseCheck.check(c, (t, a) -> new Tensor[] {t[0].mul(t[1].detach())}));
        assertTrue(e.getMessage().contains("grad of input"), e.getMessage());
    }

    @Test
    void theMessageLocatesTheWorstAndTheFirstMismatch() {
        TensorData expected = new TensorData(DType.FLOAT64, new int[] {2, 2}, new double[] {1, 2, 3, 4}, null);
        TensorData actual = new TensorData(DType.FLOAT64, new int[] {2, 2}, new double[] {1.1, 2, 3, 40}, null);
        String m = Compare.mismatch("output 0", actual, expected, Tolerances.Rule.ONE_ROUNDING.of(DType.FLOAT64));
        assertNotNull(m);
        assertTrue(m.startsWith("output 0 float64[2, 2]: 2 of 4 elements differ"), m);
        assertTrue(m.contains("max abs error 36.0 at [1, 1] (flat 3), max rel error 9.00 at [1, 1] (flat 3)"), m);
        assertTrue(m.contains("worst element [1, 1] (flat 3): Sinter 40.0, PyTorch 4.0"), m);
        assertTrue(m.contains("first mismatch [0, 0] (flat 0): Sinter 1.1, PyTorch 1.0"), m);
        TensorData ints = new TensorData(DType.INT64, new int[] {2}, null, new long[] {1, 2});
        assertNull(Compare.mismatch("same", ints, ints, Tolerance.EXACT));
        String dtype = Compare.mismatch("out", ints, expected, Tolerance.EXACT);
        assertEquals("out: dtype int64, PyTorch gives float64", dtype);
    }

    @Test
    void inputsAndUpstreamGradientsComeFromTheChosenFactory() {
        OpCase c = ops().find("mul[same_f32]");
        AtomicInteger made = new AtomicInteger();
        TensorFactory counting = data -> {
            made.incrementAndGet();
            return TensorFactory.CPU.create(data);
        };
        OpCaseCheck.check(c, (t, a) -> new Tensor[] {t[0].mul(t[1])}, counting);
        assertEquals(c.inputs().size() + 1, made.get(), "every input leaf and the upstream gradient");
    }

    @Test
    void theShapeOnlyCheckCatchesAWrongShape() {
        OpCase c = ops().find("add[broadcast_f32]");
        assertEquals(List.of(TensorMeta.of(DType.FLOAT32, 2, 3, 4)), c.outputMetas());
        OpCaseCheck.checkMeta(c, (t, a) -> new Tensor[] {t[0].add(t[1])}, TensorFactory.CPU);
        AssertionError e = assertThrows(AssertionError.class,
                () -> OpCaseCheck.checkMeta(c, (t, a) -> new Tensor[] {t[0].add(t[1]).sum()}, TensorFactory.CPU));
        assertTrue(e.getMessage().contains("output 0: shape [], PyTorch gives [2, 3, 4]"), e.getMessage());
    }

    @Test
    void theFixtureFilesSayWhichPyTorchWroteThem() {
        assertEquals(ops().torchVersion(), FixtureFile.CORE_OPS.torchVersion());
        assertTrue(ops().torchVersion().startsWith("1."), ops().torchVersion());
    }

    @Test
    void theToleranceTableKeepsEachSuitesTolerances() {
        assertEquals(new Tolerance(1e-5, 1e-6), Tolerances.forOp("add", DType.FLOAT32, false));
        assertEquals(new Tolerance(1e-9, 1e-12), Tolerances.forOp("add", DType.FLOAT64, false));
        assertEquals(new Tolerance(1e-5, 1e-5), Tolerances.forOp("add", DType.FLOAT32, true));
        assertEquals(new Tolerance(1e-9, 1e-11), Tolerances.forOp("sum.dim", DType.FLOAT64, false));
        assertEquals(new Tolerance(2e-5, 2e-5), Tolerances.forOp("conv2d", DType.FLOAT32, false));
        assertEquals(new Tolerance(2e-5, 2e-5), Tolerances.forOp("conv2d", DType.FLOAT32, true));
        assertEquals(Tolerance.EXACT, Tolerances.forOp("sum", DType.INT64, false));
        assertEquals(new Tolerance(1e-4, 4e-5), Tolerances.Rule.NN_LAYER_GRADIENT.of(DType.FLOAT32));
        // A float64 gradient in a case with float32 inputs is only float32-precise in PyTorch.
        OpCase mixed = ops().find("add[promo_f32_f64]");
        assertEquals(new Tolerance(1e-5, 1e-5), Tolerances.forGradient(mixed, DType.FLOAT64));
    }
}
