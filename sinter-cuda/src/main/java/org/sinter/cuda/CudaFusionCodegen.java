package org.sinter.cuda;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Device;
import org.sinter.compiler.codegen.DeviceCodegen;
import org.sinter.compiler.codegen.FusionGroup;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.SoftmaxOps;
import org.sinter.ops.UnaryOps;

/**
 * The compiler's code generator for CUDA (service-loaded by the compiler): a fusion group becomes
 * one CUDA C kernel in which every member is one statement on registers, each input is loaded
 * once and only the group's outputs are stored. Each member is written with the same CUDA C
 * expression as the backend's own elementwise kernel for that op ({@link PointwiseOps}), so a
 * fused result is what the unfused GPU ops compute, less the round trips through memory (the CUDA
 * compiler may contract a multiply and an add across members into one fused multiply-add). A
 * group ending in a softmax over the last dimension becomes a row kernel: one block per row
 * computes the members into the output row, then the softmax's max and sum reductions as
 * {@code softmax.cu} does.
 */
public final class CudaFusionCodegen implements DeviceCodegen {
    /** Operands and scalars a kernel takes (a launch carries at most 64 arguments). */
    static final int MAX_ARGUMENTS = 56;

    @Override public Device.Type deviceType() { return Device.Type.CUDA; }

    @Override
    public DeviceKernel compile(FusionGroup group) {
        if (group.inputs().size() + group.outputs().size() + group.scalars().size() > MAX_ARGUMENTS) return null;
        if (group.rowTail() != null && !(group.rowTail().op() instanceof SoftmaxOps.Softmax)) return null;
        return new CudaFusedKernel(group, body(group));
    }

    /**
     * The statements computing the group's members for one element: input {@code i} is in
     * {@code v<i>}, scalar {@code j} in {@code c<j>}; member {@code k}'s value ends in {@code t<k>}.
     * Returns the statements and, per output (or the row tail's input), its register.
     */
    static Body body(FusionGroup g) {
        Map<Value, String> reg = new IdentityHashMap<>();
        for (int i = 0; i < g.inputs().size(); i++) reg.put(g.inputs().get(i), "v" + i);
        for (int j = 0; j < g.scalars().size(); j++) reg.put(g.scalars().get(j), "c" + j);
        StringBuilder s = new StringBuilder();
        int k = 0;
        for (Node n : g.elementwise()) {
            String t = "t" + k++;
            s.append("        T ").append(t).append(";\n        { ");
            List<Value> in = n.inputs();
            s.append("const T a = ").append(reg.get(in.get(0))).append("; ");
            String expr = switch (n.op()) {
                case BinaryOps.Binary b -> {
                    s.append("const T b = ").append(reg.get(in.get(1))).append("; ");
                    yield PointwiseOps.floatingBinary(b.fn());
                }
                case UnaryOps.Unary u -> {
                    s.append("const double p0 = ").append(doubleLiteral(u.p0())).append(", p1 = ").append(doubleLiteral(u.p1())).append("; ");
                    yield PointwiseOps.floatingUnary(u.fn());
                }
                default -> throw new IllegalArgumentException("cuda codegen: " + n.op().name() + " is not an elementwise op");
            };
            s.append(t).append(" = (T) (").append(expr).append("); }\n");
            reg.put(n.output(), t);
        }
        String[] results;
        if (g.rowTail() != null) {
            results = new String[] {reg.get(g.rowTail().inputs().get(0))};
        } else {
            results = new String[g.outputs().size()];
            for (int o = 0; o < results.length; o++) results[o] = reg.get(g.outputs().get(o));
        }
        return new Body(s.toString(), results);
    }

    /** A member chain's statements and the registers holding what the kernel stores. */
    record Body(String statements, String[] results) {}

    /** {@code v} exactly, as CUDA C (a NaN or an infinity included). */
    static String doubleLiteral(double v) {
        return "__longlong_as_double(0x" + Long.toHexString(Double.doubleToRawLongBits(v)) + "LL)";
    }
}
