package org.sinter.cuda;

import java.util.ArrayList;
import java.util.List;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Shape;
import org.sinter.Tensor;

/**
 * Elementwise kernels generated as CUDA C: {@code out = expr(a, b, c)} over operands broadcast to
 * the output's shape, with any strides and storage dtypes. The caller gives the expression over
 * the operand values {@code a}, {@code b}, {@code c} (each loaded into its own C value type) and
 * the parameters {@code p0}, {@code p1} (doubles); this class writes the kernel (the helpers of
 * {@code pointwise_prelude.cuh} in front), compiles it once per distinct source, collapses the
 * dimensions that are contiguous in every operand, and launches a grid-stride loop: a flat one
 * when every operand is dense, else one that decodes each output index into every operand's offset.
 * A 0-d CPU tensor among the inputs (a Java number) becomes a kernel parameter.
 */
final class Pointwise {
    static final String PRELUDE = KernelCache.readResource("pointwise_prelude.cuh");
    private static final int MAX_DIMS = 8, MAX_OPERANDS = 4, BLOCK = 256;
    private static final String[] NAMES = {"a", "b", "c"};
    /** Generated sources by a short key (expression, types, operand kinds): building one is text work, not per call. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> SOURCES = new java.util.concurrent.ConcurrentHashMap<>();

    private Pointwise() {}

    /** The C type that holds {@code dt}'s elements in memory. */
    static String storageType(DType dt) {
        return switch (dt) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT32 -> "int";
            case INT64 -> "long long";
            case BOOL -> "sx_bool";
            case FLOAT16, BFLOAT16 -> "sx_half";
        };
    }

    /** The C type elementwise arithmetic on {@code dt} runs in (PyTorch's: float for the half types, 64-bit for integers). */
    static String computeType(DType dt) {
        return switch (dt) {
            case FLOAT64 -> "double";
            case FLOAT32, FLOAT16, BFLOAT16 -> "float";
            case INT32, INT64, BOOL -> "long long";
        };
    }

    static String load(DType dt, String valueType, String v) {
        String plain = switch (dt) {
            case FLOAT16 -> "sx_f16_to_f32(" + v + ")";
            case BFLOAT16 -> "sx_bf16_to_f32(" + v + ")";
            case BOOL -> "(" + v + " != 0)";
            default -> v;
        };
        return valueType.equals("bool") ? "((" + plain + ") != 0)" : "((" + valueType + ") " + plain + ")";
    }

    private static String store(DType dt, String r) {
        return switch (dt) {
            case FLOAT16 -> "sx_f32_to_f16((float) (" + r + "))";
            case BFLOAT16 -> "sx_f32_to_bf16((float) (" + r + "))";
            case BOOL -> "((sx_bool) ((" + r + ") != 0))";
            default -> "((" + storageType(dt) + ") (" + r + "))";
        };
    }

    /**
     * Writes {@code expr} of {@code inputs} into {@code out} (a device tensor of the broadcast shape,
     * possibly a strided view). {@code valueTypes[i]} is the C type input i is loaded as
     * ({@code "float"}, {@code "double"}, {@code "long long"}, {@code "bool"}); {@code T} in the
     * expression is {@code computeC}.
     */
    static void run(String what, String expr, String computeC, Tensor out, Tensor[] inputs, String[] valueTypes, double p0, double p1) {
        if (inputs.length > MAX_OPERANDS - 1) throw new IllegalArgumentException(what + ": at most 3 operands");
        CudaDevice dev = CudaBackend.deviceOf(out);
        int[] shape = out.shape();
        long n = out.numel();
        if (n == 0) return;
        List<Tensor> tensors = new ArrayList<>();
        List<int[]> strides = new ArrayList<>();
        tensors.add(out);
        strides.add(out.stride());
        StringBuilder key = new StringBuilder(computeC).append('|').append(out.dtype()).append('|');
        List<Object> scalars = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            String vt = valueTypes[i];
            if (isHostScalar(t)) { // a 0-d host value: a parameter
                String pt = scalarType(vt);
                scalars.add(pt.equals("long long") ? (Object) t.itemLong() : pt.equals("float") ? (Object) (float) t.item() : (Object) t.item());
                key.append('s').append(pt);
            } else {
                tensors.add(t);
                strides.add(Shape.broadcastStrides(t.shape(), t.stride(), shape));
                key.append('t').append(t.dtype().ordinal()).append(vt);
            }
        }
        int[][] st = strides.toArray(new int[0][]);
        int[] collapsed = collapse(shape.clone(), st);
        int nd = collapsed.length;
        boolean dense = nd <= 1;
        for (int[] s : st) dense &= nd == 0 || s[0] == 1;
        if (nd > MAX_DIMS) throw new IllegalArgumentException(what + ": more than " + MAX_DIMS + " dimensions after collapsing " + java.util.Arrays.toString(shape));

        // The source is written once per key; a call only builds the short key.
        String source = SOURCES.computeIfAbsent(key.append('|').append(expr).toString(),
                k -> source(computeC, out.dtype(), inputs, valueTypes, expr));
        KernelCache.Kernel k = dev.kernels().generated("pointwise " + what, source, dense ? "sx_dense" : "sx_strided");
        Launch l = Launch.of(k).i64(n);
        if (!dense) {
            int[] geo = new int[1 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS];
            geo[0] = nd;
            for (int d = 0; d < nd; d++) geo[1 + d] = collapsed[d];
            for (int o = 0; o < st.length; o++) for (int d = 0; d < nd; d++) geo[1 + MAX_DIMS + o * MAX_DIMS + d] = st[o][d];
            l.ints(geo);
        }
        // Arguments in the signature's order: out, then each input (a pointer, or a host scalar's value), then p0, p1.
        l.ptr(CudaBackend.address(out));
        for (int i = 0, ti = 1, si = 0; i < inputs.length; i++) {
            if (inputs[i].device().type() != Device.Type.CPU) {
                l.ptr(CudaBackend.address(tensors.get(ti++)));
                continue;
            }
            switch (scalars.get(si++)) {
                case Long v -> l.i64(v);
                case Float v -> l.f32(v);
                case Double v -> l.f64(v);
                default -> throw new IllegalStateException();
            }
        }
        l.f64(p0).f64(p1);
        l.grid(Launch.blocksFor(n, BLOCK, dev)).block(BLOCK).run(dev);
    }

    private static boolean isHostScalar(Tensor t) {
        return t.device().type() == Device.Type.CPU;
    }

    /** The kernel parameter type of a host scalar loaded as {@code valueType}. */
    private static String scalarType(String valueType) {
        return valueType.equals("bool") ? "long long" : valueType;
    }

    /** The kernel source for these inputs' kinds: the signature and each operand's load. */
    private static String source(String computeC, DType outType, Tensor[] inputs, String[] valueTypes, String expr) {
        StringBuilder sig = new StringBuilder();
        String[] loads = new String[inputs.length];
        int operands = 1;
        for (int i = 0; i < inputs.length; i++) {
            String vt = valueTypes[i];
            if (isHostScalar(inputs[i])) {
                sig.append(", ").append(scalarType(vt)).append(" s").append(i);
                loads[i] = "((" + vt + ") s" + i + ")";
            } else {
                sig.append(", const ").append(storageType(inputs[i].dtype())).append("* __restrict__ x").append(i);
                loads[i] = load(inputs[i].dtype(), vt, "x" + i + "[OFF" + operands++ + "]");
            }
        }
        return source(computeC, outType, sig.toString(), loads, expr, operands);
    }

    static String source(String computeC, DType outType, String sig, String[] loads, String expr, int operands) {
        StringBuilder s = new StringBuilder(PRELUDE.length() + 2048).append(PRELUDE).append('\n');
        s.append("typedef ").append(computeC).append(" T;\n");
        String outC = storageType(outType);
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < loads.length; i++) {
            body.append("        const auto ").append(NAMES[i]).append(" = ").append(loads[i]).append(";\n");
        }
        body.append("        out[OFF0] = ").append(store(outType, expr)).append(";\n");
        String rest = outC + "* __restrict__ out" + sig + ", double p0, double p1)";
        String params = "(long long n, " + rest;
        s.append("extern \"C\" __global__ void sx_dense").append(params).append(" {\n")
                .append("    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {\n");
        String dense = body.toString();
        for (int o = 0; o < operands; o++) dense = dense.replace("[OFF" + o + "]", "[i]");
        s.append(dense).append("    }\n}\n");
        s.append("extern \"C\" __global__ void sx_strided(long long n, SxGeometry g, ").append(rest).append(" {\n")
                .append("    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {\n")
                .append("        long long rem = i");
        for (int o = 0; o < operands; o++) s.append(", off").append(o).append(" = 0");
        s.append(";\n        for (int d = g.nd - 1; d >= 0; d--) {\n")
                .append("            const long long c = rem % g.size[d];\n            rem /= g.size[d];\n");
        for (int o = 0; o < operands; o++) s.append("            off").append(o).append(" += c * g.stride[").append(o).append("][d];\n");
        s.append("        }\n");
        String strided = body.toString();
        for (int o = 0; o < operands; o++) strided = strided.replace("[OFF" + o + "]", "[off" + o + "]");
        s.append(strided).append("    }\n}\n");
        return s.toString();
    }

    /**
     * Merges neighbouring dimensions that are laid out contiguously in every operand and drops
     * size-1 dimensions, rewriting {@code strides} in place; returns the collapsed shape.
     */
    static int[] collapse(int[] shape, int[][] strides) {
        int nd = 0;
        int[] size = new int[shape.length];
        int[][] st = new int[strides.length][shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean merge = nd > 0;
            for (int o = 0; merge && o < strides.length; o++) merge = st[o][nd - 1] == (long) strides[o][d] * shape[d];
            if (merge) {
                size[nd - 1] *= shape[d];
                for (int o = 0; o < strides.length; o++) st[o][nd - 1] = strides[o][d];
            } else {
                size[nd] = shape[d];
                for (int o = 0; o < strides.length; o++) st[o][nd] = strides[o][d];
                nd++;
            }
        }
        for (int o = 0; o < strides.length; o++) strides[o] = java.util.Arrays.copyOf(st[o], nd);
        return java.util.Arrays.copyOf(size, nd);
    }
}
