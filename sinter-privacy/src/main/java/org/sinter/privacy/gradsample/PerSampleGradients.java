package org.sinter.privacy.gradsample;

import java.util.Arrays;
import org.sinter.Tensor;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.ops.NnOps;

/**
 * The per-sample gradient formulas: a layer's weight gradient is a sum over the batch of
 * products of its input and its output gradient, so keeping the batch dimension out of that sum
 * gives every sample's gradient in one batched product.
 */
final class PerSampleGradients {
    private PerSampleGradients() {}

    /**
     * Linear {@code y = x Wᵀ + b}: per sample, {@code dW[n] = Σ_t g[n,t]ᵀ x[n,t]} and
     * {@code db[n] = Σ_t g[n,t]} over any extra (sequence) dimensions t.
     *
     * @param input the layer input, {@code [N·T, in]} in batch-major order (any leading shape)
     * @param gradOutput the gradient of the layer output before the bias, {@code [N·T, out]}
     * @return {weight grads [N, out, in], bias grads [N, out]}
     */
    static Tensor[] linear(Tensor input, Tensor gradOutput, int batchSize) {
        int in = input.size(-1), out = gradOutput.size(-1);
        Tensor a = input.reshape(batchSize, -1, in);
        Tensor g = gradOutput.reshape(batchSize, -1, out);
        return new Tensor[] {g.transpose(1, 2).matmul(a), rowBias(g, batchSize, out)};
    }

    /** A bias added to batch-major rows {@code [N·T, len]}: per sample {@code Σ_t g[n,t]}, {@code [N, len]}. */
    static Tensor rowBias(Tensor gradOutput, int batchSize, int length) {
        return gradOutput.reshape(batchSize, -1, length).sum(1, false);
    }

    /**
     * Bilinear {@code y[m,o] = Σ_ij x1[m,i] A[o,i,j] x2[m,j]}, computed by {@link org.sinter.nn.Bilinear} as
     * {@code t = x1 · A'} with {@code A' = A.permute(1, 0, 2)} flattened to {@code [in1, out·in2]}, then
     * {@code y[m,o] = Σ_j t[m,o,j] x2[m,j]}. The gradient reaching t is the outer product
     * {@code g[m,o] x2[m,j]}, so the per-sample gradient of A' is the Linear rule on that product,
     * {@code dA'[n] = Σ_t x1[n,t]ᵀ dt[n,t]}: per sample {@code Σ_t g[n,t,o] x1[n,t,i] x2[n,t,j]}, in one
     * batched product, then laid out as A.
     *
     * @param input x1 as the product saw it, {@code [N·T, in1]} batch-major (any leading shape)
     * @param gradOutput the gradient of t, {@code [N·T, out·in2]}
     * @param weightShape A's shape {@code [out, in1, in2]}
     * @return weight grads {@code [N, out, in1, in2]}
     */
    static Tensor bilinear(Tensor input, Tensor gradOutput, int batchSize, int[] weightShape) {
        Tensor gta = linear(input, gradOutput, batchSize)[0]; // [N, out·in2, in1] = (dA'[n])ᵀ
        return gta.reshape(batchSize, weightShape[0], weightShape[2], weightShape[1]).transpose(2, 3);
    }

    /**
     * A weight used as {@code y = x Wᵀ (+ b)} on time-major inputs, as the recurrent layers (input
     * projection over {@code (T, N, in)}, hidden projection over {@code (N, H)}, i.e. T = 1) and
     * multi-head attention's projections use it: per sample {@code dW[n] = Σ_t g[t,n]ᵀ x[t,n]}, all
     * the layer's calls (one per time step for a hidden weight) concatenated along t into one
     * batched product, and {@code db[n] = Σ_t g[t,n]}.
     *
     * @param inputs each call's input, any shape whose elements are {@code (T_i, N, in)} in order
     * @param gradOutputs each call's output gradient, {@code (T_i, N, out)} likewise
     * @return {weight grads [N, out, in], bias grads [N, out]}
     */
    static Tensor[] timeMajorLinear(java.util.List<Tensor> inputs, java.util.List<Tensor> gradOutputs, int batchSize) {
        int in = inputs.get(0).size(-1), out = gradOutputs.get(0).size(-1);
        Tensor x = Tensor.cat(inputs.stream().map(t -> t.reshape(-1, batchSize, in)).toList(), 0).permute(1, 0, 2);
        Tensor g = Tensor.cat(gradOutputs.stream().map(t -> t.reshape(-1, batchSize, out)).toList(), 0).permute(1, 0, 2);
        return new Tensor[] {g.transpose(1, 2).matmul(x), g.sum(1, false)};
    }

    /** A bias added to time-major outputs {@code (T, N, len)}: per sample {@code Σ_t g[t,n]}, {@code [N, len]}. */
    static Tensor timeMajorBias(Tensor gradOutput, int batchSize, int length) {
        return gradOutput.reshape(-1, batchSize, length).sum(0, false);
    }

    /**
     * Per-sample gradients of a block of rows {@code [offset, offset + rows)} of a parameter with
     * {@code paramRows} rows (Q, K and V inside attention's {@code in_proj_weight}), zero elsewhere.
     *
     * @param block {@code [N, rows, …]}
     */
    static Tensor placeRows(Tensor block, int offset, int paramRows) {
        int rows = block.size(1);
        if (offset == 0 && rows == paramRows) return block;
        int[] pad = new int[2 * (block.dim() - 1)];
        pad[pad.length - 2] = offset;                 // the row dimension is the last pair (pad lists the last dimension first)
        pad[pad.length - 1] = paramRows - offset - rows;
        return block.pad(pad);
    }

    /**
     * Conv2d: unfold each sample's input into its patches ({@code [cg·kh·kw, L]} per group, L the
     * output pixels) and multiply by the output gradient {@code [kg, L]}:
     * {@code dW[n, group] = g[n, group] · patches[n, group]ᵀ}; {@code db[n] = Σ_pixels g[n]}.
     *
     * @param input the convolution's input {@code [N, C, H, W]} before padding
     * @param gradOutput {@code [N, K, oh, ow]}
     * @return {weight grads [N, K, C/groups, kh, kw], bias grads [N, K]}
     */
    static Tensor[] conv2d(Tensor input, Tensor gradOutput, ConvGeometry g) {
        int n = input.size(0), groups = g.groups();
        Tensor patches = unfold(input, g); // [N, C·kh·kw, L], channel-major as the weight
        Tensor p = patches.reshape(n, groups, g.patch(), g.outPlane());
        Tensor go = gradOutput.reshape(n, groups, g.kg(), g.outPlane());
        Tensor dw = go.matmul(p.transpose(2, 3)).reshape(n, g.k(), g.cg(), g.kh(), g.kw());
        Tensor db = gradOutput.sum(new int[] {2, 3}, false);
        return new Tensor[] {dw, db};
    }

    /**
     * Transposed convolution, the adjoint of the convolution of geometry {@code g} (which maps the
     * transposed convolution's output space to its input space, with the same weight layout): its
     * weight gradient is that convolution's, with the output gradient as the convolution's input and
     * the transposed convolution's input as the convolution's output gradient.
     *
     * @param input the transposed convolution's input {@code [N, K, oh, ow]} (g's output plane)
     * @param gradOutput {@code [N, C, H, W]} (g's input plane)
     * @return {weight grads [N, K, C/groups, kh, kw], bias grads [N, C]}
     */
    static Tensor[] convTranspose2d(Tensor input, Tensor gradOutput, ConvGeometry g) {
        Tensor dw = conv2d(gradOutput, input, g)[0];
        return new Tensor[] {dw, gradOutput.sum(new int[] {2, 3}, false)};
    }

    /**
     * Embedding: {@code dW[n] = onehot(idx[n])ᵀ · g[n]} (each looked-up row receives its output
     * gradient), without a gradient for {@code paddingIdx}, as the layer's own backward.
     *
     * @param indices {@code [N, *]} integer indices; {@code gradOutput} {@code [N, *, D]}
     * @return weight grads {@code [N, V, D]}
     */
    static Tensor embedding(Tensor indices, Tensor gradOutput, int numEmbeddings, int paddingIdx) {
        int n = indices.size(0), d = gradOutput.size(-1);
        Tensor idx = indices.reshape(n, -1, 1);
        Tensor oneHot = idx.eq(Tensor.arange(numEmbeddings).reshape(1, 1, numEmbeddings)).to(gradOutput.dtype());
        Tensor dw = oneHot.transpose(1, 2).matmul(gradOutput.reshape(n, -1, d));
        if (paddingIdx != NnOps.Embedding.NO_PADDING) dw.narrow(1, paddingIdx, 1).zero_();
        return dw;
    }

    /**
     * An elementwise affine parameter p broadcast against the batch ({@code y = x·p} or
     * {@code y = x + p}, LayerNorm's and GroupNorm's weight and bias): per sample, the output
     * gradient (times x for a scale) summed over the dimensions p was broadcast along.
     *
     * @param perElement {@code g·x} or {@code g}, {@code [N, …]}
     * @param usedShape the shape p had where it was used (e.g. GroupNorm's {@code [1, C, 1, 1]})
     * @param paramShape the parameter's own shape
     * @return {@code [N, *paramShape]}
     */
    static Tensor broadcastParameter(Tensor perElement, int[] usedShape, int[] paramShape, String what) {
        int k = perElement.dim(), n = perElement.size(0);
        if (usedShape.length > k || (usedShape.length == k && usedShape[0] != 1)) {
            throw new IllegalStateException("GradSampleModule: " + what + " of shape " + Arrays.toString(usedShape)
                    + " spans the batch dimension of " + perElement.describe());
        }
        int[] aligned = new int[k];
        Arrays.fill(aligned, 1);
        System.arraycopy(usedShape, 0, aligned, k - usedShape.length, usedShape.length);
        int[] sumDims = java.util.stream.IntStream.range(1, k).filter(i -> aligned[i] == 1 && perElement.size(i) != 1).toArray();
        Tensor reduced = sumDims.length == 0 ? perElement : perElement.sum(sumDims, true);
        int[] out = new int[paramShape.length + 1];
        out[0] = n;
        System.arraycopy(paramShape, 0, out, 1, paramShape.length);
        return reduced.reshape(out);
    }

    /** im2col with views: {@code [N, C, H, W]} → {@code [N, C·kh·kw, oh·ow]}. */
    static Tensor unfold(Tensor x, ConvGeometry g) {
        int n = x.size(0), c = x.size(1);
        // The rows and columns the windows reach: zero padding before, and after as far as needed.
        int needH = (g.oh() - 1) * g.sh() + g.dh() * (g.kh() - 1) + 1;
        int needW = (g.ow() - 1) * g.sw() + g.dw() * (g.kw() - 1) + 1;
        int afterH = Math.max(0, needH - g.h() - g.ph()), afterW = Math.max(0, needW - g.w() - g.pw());
        Tensor padded = (g.ph() | g.pw() | afterH | afterW) == 0 ? x : x.pad(g.pw(), afterW, g.ph(), afterH);
        padded = padded.narrow(2, 0, needH).narrow(3, 0, needW);
        int spanH = g.dh() * (g.kh() - 1) + 1, spanW = g.dw() * (g.kw() - 1) + 1;
        // [N, C, oh, ow, spanH, spanW], then every dilation-th element of each window.
        Tensor windows = padded.unfold(2, spanH, g.sh()).unfold(3, spanW, g.sw());
        if (g.dh() > 1) windows = windows.slice(4, 0, spanH, g.dh());
        if (g.dw() > 1) windows = windows.slice(5, 0, spanW, g.dw());
        return windows.permute(0, 1, 4, 5, 2, 3).reshape(n, c * g.kh() * g.kw(), g.oh() * g.ow());
    }
}
