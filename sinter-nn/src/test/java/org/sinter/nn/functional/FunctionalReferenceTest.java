package org.sinter.nn.functional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sinter.Autograd;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Every fixture case of gen_nn_functional.py: forward values, dtypes and shapes, and the
 * gradients of every input that requires grad (inputs, weights, biases), against PyTorch.
 */
class FunctionalReferenceTest {

    @Test
    void everyOpKeyHasACall() {
        for (NnFixtures.Case c : NnFixtures.load()) assertNotNull(NnReferenceOps.OPS.get(c.op()), "no Java call for op key " + c.op());
    }

    @TestFactory
    Stream<DynamicTest> pytorchReference() {
        return NnFixtures.load().stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> check(c)));
    }

    /** float32: one rounding per term of sums over windows and GEMMs of a few dozen terms. */
    static double[] tolerance(DType dt) {
        return dt == DType.FLOAT64 ? new double[] {1e-9, 1e-11} : new double[] {2e-5, 2e-5};
    }

    static void compare(String what, Tensor actual, NnFixtures.Data expected) {
        if (actual.dtype() != expected.dtype()) fail(what + ": dtype " + actual.dtype() + ", PyTorch gives " + expected.dtype());
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", PyTorch gives " + Arrays.toString(expected.shape()));
        }
        if (!expected.isFloat()) {
            assertEquals(Arrays.toString(expected.ints()), Arrays.toString(actual.toLongArray()), what);
            return;
        }
        double[] a = actual.toDoubleArray(), e = expected.floats(), tol = tolerance(expected.dtype());
        for (int i = 0; i < e.length; i++) {
            boolean ok = a[i] == e[i] || (Double.isNaN(a[i]) && Double.isNaN(e[i])) || Math.abs(a[i] - e[i]) <= tol[1] + tol[0] * Math.abs(e[i]);
            if (!ok) fail(what + ": element " + i + " is " + a[i] + ", PyTorch gives " + e[i] + " (rtol " + tol[0] + ", atol " + tol[1] + ")");
        }
    }

    static void check(NnFixtures.Case c) {
        List<Tensor> leaves = new ArrayList<>();
        Tensor[] views = new Tensor[c.inputs().size()];
        for (int i = 0; i < views.length; i++) {
            Tensor[] lv = c.inputs().get(i).build();
            leaves.add(lv[0]);
            views[i] = lv[1];
        }
        Tensor[] outs = NnReferenceOps.OPS.get(c.op()).apply(views, c.attrs());
        assertEquals(c.outputs().size(), outs.length, c.id() + ": number of outputs");
        for (int i = 0; i < outs.length; i++) compare(c.id() + " output " + i, outs[i], c.outputs().get(i));
        if (!c.hasBackward()) return;
        List<Tensor> roots = new ArrayList<>(), gos = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            if (c.gradOutputs().get(i) == null) continue;
            roots.add(outs[i]);
            gos.add(c.gradOutputs().get(i).toTensor());
        }
        List<Tensor> wrt = new ArrayList<>();
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < leaves.size(); i++) {
            if (c.inputs().get(i).grad()) {
                wrt.add(leaves.get(i));
                which.add(i);
            }
        }
        List<Tensor> grads = Autograd.grad(roots, wrt, gos, false, false, true);
        for (int j = 0; j < which.size(); j++) {
            int i = which.get(j);
            Tensor g = grads.get(j) == null ? Tensor.zerosLike(leaves.get(i)) : grads.get(j);
            compare(c.id() + " gradient of input " + i, c.inputs().get(i).view(g), c.grads().get(i));
        }
    }
}
