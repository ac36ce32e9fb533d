package org.sinter.cuda;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.sinter.Device;
import org.sinter.Shape;
import org.sinter.Tensor;
import org.sinter.compiler.codegen.DeviceCodegen;
import org.sinter.compiler.codegen.FusionGroup;
import org.sinter.ops.SoftmaxOps;

/**
 * One fusion group's CUDA kernel (see {@link CudaFusionCodegen}). The source depends on which
 * inputs are laid out as the output (read at the element's own index) and which are broadcast or
 * strided (read at an offset decoded from the index through a geometry argument), so it is
 * written once per such layout pattern and compiled once per source (NVRTC, disk-cached).
 */
final class CudaFusedKernel implements DeviceCodegen.DeviceKernel {
    private static final int MAX_DIMS = 8, BLOCK = 256, ROW_BLOCK = 256;
    private static final String ROW_HELPERS = """
            #define SX_ROW_THREADS %d
            struct SxSum { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const { return a + b; } };
            struct SxMax { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
                return (a != a) ? a : ((b > a || b != b) ? b : a); } };  // NaN on either side wins
            template <typename A, typename Op>
            __device__ __forceinline__ A sx_block_reduce(A v, Op op, A identity, A* scratch) {
                const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
                for (int off = 16; off > 0; off >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, off));
                if (lane == 0) scratch[warp] = v;
                __syncthreads();
                v = lane < (int) (blockDim.x >> 5) ? scratch[lane] : identity;
                for (int off = 16; off > 0; off >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, off));
                __syncthreads();
                return v;
            }
            """.formatted(ROW_BLOCK);

    private final FusionGroup group;
    private final CudaFusionCodegen.Body body;
    private final String what;
    /** Sources by layout pattern (one flag per input: read at the element's index or through the geometry). */
    private final ConcurrentHashMap<String, String> sources = new ConcurrentHashMap<>();

    CudaFusedKernel(FusionGroup group, CudaFusionCodegen.Body body) {
        this.group = group;
        this.body = body;
        this.what = "fused " + group.describe();
    }

    @Override
    public String name() {
        return group.rowTail() == null ? "sx_fused" : "sx_fused_rows";
    }

    @Override
    public void run(Tensor[] inputs, float[] scalars, Tensor[] outputs) {
        int[] shape = group.shape();
        long n = outputs[0].numel();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].device().type() != Device.Type.CUDA) {
                throw new IllegalArgumentException(what + ": input " + i + " " + inputs[i].describe() + " is on " + inputs[i].device()
                        + ", the compiled graph runs on " + outputs[0].device());
            }
        }
        if (n == 0) return;
        // Operand 0 is the (dense) output layout; then every input broadcast to the shape.
        int[][] strides = new int[1 + inputs.length][];
        strides[0] = Shape.contiguousStrides(shape);
        for (int i = 0; i < inputs.length; i++) strides[1 + i] = Shape.broadcastStrides(inputs[i].shape(), inputs[i].stride(), shape);
        int[] size = Pointwise.collapse(shape.clone(), strides);
        if (size.length > MAX_DIMS) {
            // Beyond the geometry's rank: materialise the inputs in the output's layout (rare: more than 8 uncollapsible dims).
            Tensor[] dense = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) dense[i] = inputs[i].expand(shape).contiguous();
            run(dense, scalars, outputs);
            return;
        }
        StringBuilder pattern = new StringBuilder();
        int strided = 0;
        for (int i = 0; i < inputs.length; i++) {
            boolean atIndex = Arrays.equals(strides[1 + i], strides[0]);
            pattern.append(atIndex ? 'i' : 'g');
            if (!atIndex) strided++;
        }
        String key = pattern.toString();
        String source = sources.computeIfAbsent(key, this::source);
        CudaDevice dev = CudaBackend.deviceOf(outputs[0]);
        KernelCache.Kernel k = dev.kernels().generated(what, source, name());
        Launch l = Launch.of(k);
        boolean rows = group.rowTail() != null;
        int cols = rows ? shape[shape.length - 1] : 0;
        long rowCount = rows ? n / cols : 0;
        if (rows) l.i64(rowCount).i32(cols);
        else l.i64(n);
        if (strided > 0) {
            int[] geo = new int[1 + MAX_DIMS + strided * MAX_DIMS];
            geo[0] = size.length;
            for (int d = 0; d < size.length; d++) geo[1 + d] = size[d];
            for (int i = 0, s = 0; i < inputs.length; i++) {
                if (key.charAt(i) != 'g') continue;
                for (int d = 0; d < size.length; d++) geo[1 + MAX_DIMS + s * MAX_DIMS + d] = strides[1 + i][d];
                s++;
            }
            l.ints(geo);
        }
        for (Tensor o : outputs) l.ptr(CudaBackend.address(o));
        for (Tensor t : inputs) l.ptr(CudaBackend.address(t));
        for (float c : scalars) l.f32(c);
        // A row's threads: a warp per 32 columns, at most ROW_BLOCK (the reductions' scratch size).
        if (rows) l.grid((int) Math.min(rowCount, 65535)).block(Math.min(ROW_BLOCK, (cols + 31) / 32 * 32)).run(dev);
        else l.grid(Launch.blocksFor(n, BLOCK, dev)).block(BLOCK).run(dev);
    }

    /** The kernel source for one layout pattern ({@code 'i'}: input read at the index, {@code 'g'}: through the geometry). */
    private String source(String pattern) {
        int nIn = pattern.length(), strided = (int) pattern.chars().filter(c -> c == 'g').count();
        boolean rows = group.rowTail() != null;
        StringBuilder s = new StringBuilder(Pointwise.PRELUDE.length() + 4096).append(Pointwise.PRELUDE).append('\n');
        s.append("typedef float T;\n");
        s.append("// ").append(what.replace('\n', ' ')).append('\n');
        if (strided > 0) {
            s.append("struct SxFusedGeometry { int nd; int size[").append(MAX_DIMS).append("]; int stride[").append(strided).append("][")
                    .append(MAX_DIMS).append("]; };\n");
        }
        if (rows) s.append(ROW_HELPERS);
        StringBuilder params = new StringBuilder(rows ? "(long long rows, int cols" : "(long long n");
        if (strided > 0) params.append(", SxFusedGeometry g");
        int nOut = rows ? 1 : group.outputs().size();
        for (int o = 0; o < nOut; o++) params.append(", float* __restrict__ o").append(o);
        for (int i = 0; i < nIn; i++) params.append(", const float* __restrict__ x").append(i);
        for (int j = 0; j < group.scalars().size(); j++) params.append(", float c").append(j);
        params.append(')');
        // The element's loads: at the index, or at the offset decoded through the geometry.
        StringBuilder element = new StringBuilder();
        if (strided > 0) {
            element.append("        long long rem = i");
            for (int q = 0; q < strided; q++) element.append(", off").append(q).append(" = 0");
            element.append(";\n        for (int d = g.nd - 1; d >= 0; d--) {\n")
                    .append("            const long long c = rem % g.size[d];\n            rem /= g.size[d];\n");
            for (int q = 0; q < strided; q++) element.append("            off").append(q).append(" += c * g.stride[").append(q).append("][d];\n");
            element.append("        }\n");
        }
        for (int i = 0, q = 0; i < nIn; i++) {
            element.append("        const T v").append(i).append(" = x").append(i).append('[')
                    .append(pattern.charAt(i) == 'i' ? "i" : "off" + q++).append("];\n");
        }
        element.append(body.statements());
        if (!rows) {
            s.append("extern \"C\" __global__ void sx_fused").append(params).append(" {\n")
                    .append("    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {\n")
                    .append(element);
            for (int o = 0; o < nOut; o++) s.append("        o").append(o).append("[i] = ").append(body.results()[o]).append(";\n");
            s.append("    }\n}\n");
            return s.toString();
        }
        boolean log = ((SoftmaxOps.Softmax) group.rowTail().op()).log();
        // Pass 1 computes the members into the output row (each thread its own columns) and the row's max;
        // passes 2 and 3 are softmax.cu's: exp(x - max) summed in double, then scaled (or log-softmax).
        s.append("extern \"C\" __global__ void __launch_bounds__(SX_ROW_THREADS) sx_fused_rows").append(params).append(" {\n")
                .append("    __shared__ float smax[SX_ROW_THREADS / 32];\n    __shared__ double ssum[SX_ROW_THREADS / 32];\n")
                .append("    const float ninf = -1.0f / 0.0f;\n")
                .append("    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {\n")
                .append("      float* yr = o0 + r * cols;\n      float m = ninf;\n")
                .append("      for (int col = threadIdx.x; col < cols; col += blockDim.x) {\n")
                .append("        const long long i = r * cols + col;\n")
                .append(element)
                .append("        yr[col] = ").append(body.results()[0]).append(";\n")
                .append("        m = SxMax()(m, ").append(body.results()[0]).append(");\n      }\n")
                .append("      m = sx_block_reduce(m, SxMax(), ninf, smax);\n")
                .append("      double sum = 0.0;\n")
                .append("      for (int col = threadIdx.x; col < cols; col += blockDim.x) {\n")
                .append("        const float e = expf(yr[col] - m);\n");
        if (!log) s.append("        yr[col] = e;\n");
        s.append("        sum += (double) e;\n      }\n")
                .append("      sum = sx_block_reduce(sum, SxSum(), 0.0, ssum);\n");
        if (log) {
            s.append("      const float ls = (float) log(sum);\n")
                    .append("      for (int col = threadIdx.x; col < cols; col += blockDim.x) yr[col] = (yr[col] - m) - ls;\n");
        } else {
            s.append("      const float inv = (float) (1.0 / sum);\n")
                    .append("      for (int col = threadIdx.x; col < cols; col += blockDim.x) yr[col] = yr[col] * inv;\n");
        }
        s.append("    }\n}\n");
        return s.toString();
    }

    /** The source for a layout pattern, for tests that compile every generated kernel offline. */
    String sourceFor(String pattern) {
        return sources.computeIfAbsent(pattern, this::source);
    }
}
