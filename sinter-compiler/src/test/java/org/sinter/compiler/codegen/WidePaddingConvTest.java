package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * Padding wider than the input (ONNX's test_Conv1d_pad2size1: a 1x5 kernel over a width-1 input
 * padded by 2): some kernel taps read only padding. The compiled convolution (im2col + GEMM with
 * its epilogue) gives eager's result instead of writing past its unfolded matrix.
 */
class WidePaddingConvTest {
    @Test
    void tapsThatOnlySeePaddingAreZeros() {
        Sinter.manualSeed(3);
        // {batch, height, width, kernel height, kernel width}: one sample unfolds its channels in parallel.
        for (int[] c : new int[][] {{1, 1, 1, 1, 5}, {1, 1, 1, 5, 1}, {2, 1, 1, 1, 5}, {1, 4, 1, 1, 5}, {1, 1, 2, 5, 5}, {2, 3, 3, 1, 5}}) {
            int[] hw = {c[1], c[2]};
            Module m = new Sequential(new Conv2d(4, 4, new int[] {c[3], c[4]}, new int[] {1, 1}, new int[] {c[3] / 2, c[4] / 2}, new int[] {1, 1}, 1,
                    true, "zeros"), new ReLU()).eval();
            Tensor x = Tensor.randn(c[0], 4, hw[0], hw[1]);
            try (var _ = Sinter.noGrad()) {
                Tensor eager = m.forward(x);
                CompiledFunction f = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters()); // constant weights: the ConvStep path
                Tensor compiled = f.call(x)[0];
                assertArrayEquals(eager.shape(), compiled.shape());
                float[] e = eager.toFloatArray(), got = compiled.toFloatArray();
                for (int i = 0; i < e.length; i++) assertEquals(e[i], got[i], 1e-5 * (1 + Math.abs(e[i])), "input " + hw[0] + "x" + hw[1] + ", element " + i);
            }
        }
    }
}
