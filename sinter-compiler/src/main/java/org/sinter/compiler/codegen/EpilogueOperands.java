package org.sinter.compiler.codegen;

import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Value;

/**
 * The arrays a GEMM epilogue's generated kernel reads and writes for one run: the group's inputs
 * (the product among them), its outputs (allocated here and bound in {@code env}; the product
 * itself when the epilogue writes in place) and its scalars. {@link #run} runs the kernel over
 * one block: rows {@code [r0, r0+nr)} of a two-loop nest, columns {@code [c0, c0+nc)}, with each
 * operand shifted by {@code shift[i]} elements (a convolution's sample).
 */
record EpilogueOperands(float[][] in, int[] inOff, float[][] out, int[] outOff, float[] scalars) {
    static EpilogueOperands of(FusionGroup fg, Map<Value, Tensor> env, Value product, Tensor productTensor, boolean inPlace,
                               ProgramStep.Outputs alloc) {
        int nIn = fg.inputs().size(), nOut = fg.outputs().size();
        float[][] in = new float[nIn][], out = new float[nOut][];
        int[] inOff = new int[nIn], outOff = new int[nOut];
        for (int i = 0; i < nIn; i++) {
            Value v = fg.inputs().get(i);
            Tensor t = v == product ? productTensor : env.get(v);
            if (!t.isContiguous()) t = t.contiguous();
            in[i] = t.storage().floats();
            inOff[i] = t.storageOffset();
        }
        for (int o = 0; o < nOut; o++) {
            Tensor t = inPlace ? productTensor : alloc.allocate(fg.outputs().get(o));
            out[o] = t.storage().floats();
            outOff[o] = t.storageOffset();
            env.put(fg.outputs().get(o), t);
        }
        float[] scalars = new float[fg.scalars().size()];
        for (int i = 0; i < scalars.length; i++) scalars[i] = (float) env.get(fg.scalars().get(i)).item();
        return new EpilogueOperands(in, inOff, out, outOff, scalars);
    }

    void run(FusedKernel kernel, int[][] strides, int rows, int[] shift, int r0, int nr, int c0, int nc) {
        int nIn = in.length;
        int[] io = new int[nIn], oo = new int[out.length];
        // The block's columns: each operand's start moves by c0 steps of its inner stride.
        for (int i = 0; i < nIn; i++) io[i] = inOff[i] + (shift == null ? 0 : shift[i]) + c0 * strides[i][1];
        for (int o = 0; o < out.length; o++) oo[o] = outOff[o] + (shift == null ? 0 : shift[nIn + o]) + c0 * strides[nIn + o][1];
        kernel.run(in, io, out, oo, scalars, new int[] {rows, nc}, strides, r0, r0 + nr);
    }
}
