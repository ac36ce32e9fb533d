package org.sinter.autograd;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.autograd.examples.LinearFunction;

class CustomFunctionTest {
    @Test
    void linearWithoutBiasPassesGradCheck() {
        Sinter.manualSeed(1);
        Tensor x = Tensor.randn(DType.FLOAT64, 4, 3).requiresGrad(true);
        Tensor w = Tensor.randn(DType.FLOAT64, 5, 3).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> new LinearFunction().apply1(in[0], in[1]), x, w));
        assertTrue(GradCheck.gradgradcheck(in -> new LinearFunction().apply1(in[0], in[1]), x, w));
    }

    @Test
    void matchesBuiltInMatmul() {
        Tensor x = Tensor.randn(6, 4).requiresGrad(true);
        Tensor w = Tensor.randn(3, 4).requiresGrad(true);
        Tensor y = new LinearFunction().apply1(x, w);
        assertEquals("LinearFunctionBackward0", y.gradFn().name());
        y.sum().backward();
        Tensor gx = x.grad(), gw = w.grad();
        x.zeroGrad();
        w.zeroGrad();
        x.matmul(w.t()).sum().backward();
        assertTrue(gx.allclose(x.grad(), 1e-5, 1e-6));
        assertTrue(gw.allclose(w.grad(), 1e-5, 1e-6));
    }

    @Test
    void gradCheckCatchesAWrongGradient() {
        Function wrong = new Function() {
            @Override protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
                ctx.saveForBackward(in[0]);
                return new Tensor[] {in[0].mul(in[0])};
            }
            @Override protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
                return new Tensor[] {g[0].mul(ctx.savedTensors().get(0))}; // missing factor 2
            }
        };
        Tensor x = Tensor.randn(DType.FLOAT64, 3).requiresGrad(true);
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.gradcheck(in -> wrong.apply1(in[0]), x));
        assertTrue(e.getMessage().contains("Jacobian mismatch"), e.getMessage());
    }

    @Test
    void savedTensorModifiedInPlaceIsReported() {
        Tensor x = Tensor.randn(3).requiresGrad(true);
        Tensor h = x.mul(1.0);
        Tensor w = Tensor.randn(2, 3);
        Tensor y = new LinearFunction().apply1(h.reshape(1, 3), w);
        try (var _ = Sinter.noGrad()) {
            h.add_(1.0);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("in-place"), e.getMessage());
    }
}
