package org.sinter.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.sinter.Device;
import org.sinter.Tensor;

/**
 * The meta backend against PyTorch: every fixture case is run again on meta tensors (shapes and
 * dtypes, no data) and its outputs' shapes and dtypes must be PyTorch's. Cases whose Sinter call
 * reads input values to decide what to do (index tensors, masks, data-dependent shapes) cannot run
 * on data-less tensors, as in PyTorch; the test lists them and fails if that list grows past the
 * known ones below, so a regression in a meta function cannot hide there.
 */
class MetaBackendReferenceTest {
    /** Cases whose reference call reads values: reflect/replicate pad (index tensors), scatter of a value. */
    private static final int MAX_DATA_DEPENDENT = 6;

    @Test
    void metaBackendAgreesWithPyTorchOnShapesAndDtypes() {
        List<String> mismatches = new ArrayList<>();
        List<String> dataDependent = new ArrayList<>();
        int checked = 0;
        for (Fixtures.Case c : Fixtures.load().cases()) {
            BiFunction<Tensor[], Attrs, Tensor[]> op = ReferenceOps.OPS.get(c.op());
            Tensor[] args = c.inputs().stream().map(i -> i.build().view().detach().to(Device.META)).toArray(Tensor[]::new);
            Tensor[] outs;
            try {
                outs = op.apply(args, c.attrs());
            } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("has no data") || m.contains("same device") || m.contains("meta tensor")) {
                    dataDependent.add(c.id());
                    continue;
                }
                mismatches.add(c.id() + ": threw " + e);
                continue;
            }
            checked++;
            if (outs.length != c.outputs().size()) {
                mismatches.add(c.id() + ": " + outs.length + " outputs, PyTorch gives " + c.outputs().size());
                continue;
            }
            for (int i = 0; i < outs.length; i++) {
                TensorData want = c.outputs().get(i);
                if (outs[i].dtype() != want.dtype() || !java.util.Arrays.equals(outs[i].shape(), want.shape())) {
                    mismatches.add(c.id() + " output " + i + ": meta gives " + outs[i].dtype() + java.util.Arrays.toString(outs[i].shape())
                            + ", PyTorch " + want.dtype() + java.util.Arrays.toString(want.shape()));
                } else if (outs[i].device() != Device.META && outs[i].dim() > 0 && !c.inputs().isEmpty()) {
                    mismatches.add(c.id() + " output " + i + ": left the meta device (" + outs[i].device() + ")");
                }
            }
        }
        assertEquals(List.of(), mismatches, "meta backend vs PyTorch");
        assertTrue(dataDependent.size() <= MAX_DATA_DEPENDENT, "data-dependent cases: " + dataDependent.size() + " " + dataDependent);
        assertTrue(checked > 800, "only " + checked + " cases ran on the meta backend");
        System.out.println("meta backend: " + checked + " fixture cases agree with PyTorch; " + dataDependent.size()
                + " read input values: " + dataDependent);
    }

    @Test
    void metaTensorsHaveNoData() {
        Tensor x = Tensor.empty(org.sinter.DType.FLOAT32, Device.META, 8, 784);
        Tensor w = Tensor.empty(org.sinter.DType.FLOAT32, Device.META, 10, 784);
        Tensor y = x.matmul(w.t()).relu().logSoftmax(1);
        assertArrayEquals(new int[] {8, 10}, y.shape());
        assertEquals(Device.META, y.device());
        assertEquals("tensor(..., device='meta', size=(8, 10))", y.toString());
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> y.sum().item());
        assertTrue(e.getMessage().contains("has no data"), e.getMessage());
        IllegalArgumentException mix = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> x.add(Tensor.ones(8, 784)));
        assertTrue(mix.getMessage().contains("same device") && mix.getMessage().contains("meta") && mix.getMessage().contains("cpu"),
                mix.getMessage());
        // A 0-d CPU tensor (a Java number) joins tensors of any device, as in PyTorch.
        assertEquals(Device.META, x.mul(2.0).add(Tensor.scalar(1f)).device());
    }
}
