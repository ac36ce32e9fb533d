package org.sinter.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.autograd.examples.LinearFunction;
import org.sinter.cuda.lab3.CudaLinearFunction;

/** Lab 3: the CUDA linear operator against Lab 2's CPU one, forward and every gradient. Skipped without a GPU. */
@EnabledIf("org.sinter.cuda.GpuTests#available")
class CudaLinearFunctionTest {
    private static final Device GPU = Device.cuda(0);

    private static void close(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        assertEquals(e.length, a.length, what);
        for (int i = 0; i < e.length; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= 1e-4 * (1 + Math.abs(e[i])), what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
        }
    }

    @Test
    void matchesLabTwosOperatorOnTheCpu() {
        Generator g = new Generator(5);
        Tensor x = g.randn(DType.FLOAT32, 37, 23), w = g.randn(DType.FLOAT32, 19, 23), b = g.randn(DType.FLOAT32, 19);
        Tensor up = g.randn(DType.FLOAT32, 37, 19);

        Tensor xc = x.detach().requiresGrad(true), wc = w.detach().requiresGrad(true), bc = b.detach().requiresGrad(true);
        Tensor yc = new LinearFunction().apply1(xc, wc).add(bc);
        yc.backward(up);

        Tensor xg = x.to(GPU).requiresGrad(true), wg = w.to(GPU).requiresGrad(true), bg = b.to(GPU).requiresGrad(true);
        Tensor yg = new CudaLinearFunction().apply1(xg, wg, bg);
        yg.backward(up.to(GPU));

        close(yc, yg, "y");
        close(xc.grad(), xg.grad(), "dX");
        close(wc.grad(), wg.grad(), "dW");
        close(bc.grad(), bg.grad(), "db");
        assertEquals(GPU, wg.grad().device());
    }

    @Test
    void refusesHostTensors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CudaLinearFunction().apply1(Tensor.ones(2, 3), Tensor.ones(4, 3)));
        assertTrue(e.getMessage().contains("CUDA tensors"), e.getMessage());
    }
}
