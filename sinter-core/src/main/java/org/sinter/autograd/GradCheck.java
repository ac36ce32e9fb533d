package org.sinter.autograd;

import org.sinter.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Autograd;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Storage;
import org.sinter.Tensor;

/**
 * Checks analytical gradients against central finite differences in float64 (PyTorch's
 * {@code gradcheck} and {@code gradgradcheck}). Inputs that require grad are perturbed one element
 * at a time; the full Jacobian from autograd is compared with the numerical one. A mismatch throws
 * an {@link AssertionError} naming the input, the output element and both values.
 */
public final class GradCheck {
    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private GradCheck() {}

    /** The function under test: tensors in, one tensor out. */
    @FunctionalInterface
    public interface Fn {
        Tensor apply(Tensor... inputs);
    }

    public static boolean gradcheck(Fn f, Tensor... inputs) {
        return gradcheck(f, EPS, ATOL, RTOL, inputs);
    }

    public static boolean gradcheck(Fn f, double eps, double atol, double rtol, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad() && inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck: input " + i + " requires grad but is " + inputs[i].dtype().name()
                        + "; finite differences need float64 inputs");
            }
        }
        Tensor out = f.apply(inputs);
        int m = Shape.numel(out);
        List<Integer> diffIdx = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) diffIdx.add(i);
        if (diffIdx.isEmpty()) throw new IllegalArgumentException("gradcheck: no input requires grad");

        // Analytical Jacobian, one output element (one-hot grad_output) at a time.
        double[][][] analytical = new double[inputs.length][][];
        for (int i : diffIdx) analytical[i] = new double[m][Shape.numel(inputs[i])];
        List<Tensor> wrt = new ArrayList<>();
        for (int i : diffIdx) wrt.add(inputs[i]);
        for (int k = 0; k < m; k++) {
            double[] onehot = new double[m];
            onehot[k] = 1;
            Tensor go = Tensor.of(onehot).reshape(out.shape()).to(out.dtype());
            if (!out.requiresGrad()) break;
            List<Tensor> gs = Autograd.grad(List.of(out), wrt, List.of(go), true, false, true);
            for (int j = 0; j < diffIdx.size(); j++) {
                Tensor g = gs.get(j);
                if (g != null) analytical[diffIdx.get(j)][k] = g.toDoubleArray();
            }
        }
        // Numerical Jacobian by central differences on each input element.
        for (int i : diffIdx) {
            Tensor x = inputs[i];
            int n = Shape.numel(x);
            for (int e = 0; e < n; e++) {
                int pos = storageIndex(x, e);
                Storage s = x.storage();
                double orig = s.getDouble(pos);
                double[] plus, minus;
                try (var _ = Sinter.noGrad()) {
                    s.setDouble(pos, orig + eps);
                    plus = f.apply(inputs).toDoubleArray();
                    s.setDouble(pos, orig - eps);
                    minus = f.apply(inputs).toDoubleArray();
                } finally {
                    s.setDouble(pos, orig);
                }
                for (int k = 0; k < m; k++) {
                    double num = (plus[k] - minus[k]) / (2 * eps);
                    double ana = analytical[i][k][e];
                    if (!(Math.abs(ana - num) <= atol + rtol * Math.abs(num))) {
                        throw new AssertionError("gradcheck: Jacobian mismatch for output element " + k + " with respect to input " + i
                                + " " + Arrays.toString(x.shape()) + " element " + e + ": numerical " + num + ", analytical " + ana);
                    }
                }
            }
        }
        return true;
    }

    /** Checks second derivatives: gradcheck of the (createGraph) gradient with a random grad_output. */
    public static boolean gradgradcheck(Fn f, Tensor... inputs) {
        Tensor out0 = f.apply(inputs);
        Tensor v = Tensor.randn(DType.FLOAT64, out0.shape()).requiresGrad(true);
        List<Integer> diffIdx = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) if (inputs[i].requiresGrad()) diffIdx.add(i);
        Tensor[] all = Arrays.copyOf(inputs, inputs.length + 1);
        all[inputs.length] = v;
        Fn g = xs -> {
          // The inner gradient needs recording even while the numerical pass runs under noGrad.
          try (var _ = Sinter.enableGrad()) {
            Tensor[] in = Arrays.copyOf(xs, inputs.length);
            Tensor out = f.apply(in);
            List<Tensor> wrt = new ArrayList<>();
            for (int i : diffIdx) wrt.add(in[i]);
            List<Tensor> gs = Autograd.grad(List.of(out), wrt, List.of(xs[inputs.length]), true, true, true);
            List<Tensor> flat = new ArrayList<>();
            for (int j = 0; j < gs.size(); j++) {
                Tensor gj = gs.get(j);
                flat.add(gj == null ? Tensor.zeros(DType.FLOAT64, Shape.numel(wrt.get(j))) : gj.reshape(-1));
            }
            return Tensor.cat(flat, 0);
          }
        };
        return gradcheck(g, all);
    }

    /** Storage position of the e-th element (row-major) of a possibly strided tensor. */
    private static int storageIndex(Tensor x, int e) {
        int[] sh = x.shape(), st = x.stride();
        int pos = x.storageOffset();
        for (int d = sh.length - 1; d >= 0; d--) {
            pos += (e % sh[d]) * st[d];
            e /= sh[d];
        }
        return pos;
    }
}
