package org.sinter.onnx.export;

import static org.sinter.onnx.export.GraphWriter.attr;

import java.util.Arrays;
import org.sinter.compiler.ir.Node;
import org.sinter.kernels.pool.PoolWindows;

/**
 * Average pooling as ONNX nodes. Sinter's primitive holds the windows themselves (one description
 * for {@code avg_pool2d} and {@code adaptive_avg_pool2d}); ONNX's AveragePool wants kernel, stride
 * and padding, so these are recovered: the (kernel, stride, padding) whose windows are exactly the
 * primitive's, per axis. A whole-plane window is GlobalAveragePool; adaptive pools whose windows
 * are not one regular grid have no ONNX form and are refused.
 */
final class PoolLowering {
    private PoolLowering() {}

    static String average(OpLowering l, Node n, PoolWindows wd, String x) {
        GraphWriter w = l.writer();
        if (wd.oh() == 1 && wd.ow() == 1 && wd.hs()[0] == 0 && wd.he()[0] == wd.h() && wd.ws()[0] == 0 && wd.we()[0] == wd.w()
                && (wd.override() <= 0 || wd.override() == wd.h() * wd.w())) {
            return w.node1("GlobalAveragePool", x);
        }
        int[] rows = axis(wd.h(), wd.hs(), wd.he(), wd.hPool()), cols = axis(wd.w(), wd.ws(), wd.we(), wd.wPool());
        if (rows == null || cols == null) throw l.refuse(n, "the pooling windows are not a regular grid (kernel, stride, padding)");
        if (wd.override() > 0) throw l.refuse(n, "divisor_override has no ONNX form");
        boolean ceil = floorOut(wd.h(), rows) != wd.oh() || floorOut(wd.w(), cols) != wd.ow();
        return w.node1("AveragePool", x, attr("kernel_shape", new int[] {rows[0], cols[0]}), attr("strides", new int[] {rows[1], cols[1]}),
                attr("pads", new int[] {rows[2], cols[2], rows[2], cols[2]}), attr("count_include_pad", wd.countPadding() ? 1 : 0),
                attr("ceil_mode", ceil ? 1 : 0));
    }

    private static int floorOut(int in, int[] ksp) {
        return (in + 2 * ksp[2] - ksp[0]) / ksp[1] + 1;
    }

    /** {kernel, stride, pad} whose avg_pool windows along one axis are {@code [s, e)} with pool sizes {@code pool}, or null. */
    private static int[] axis(int in, int[] s, int[] e, int[] pool) {
        int out = s.length;
        int k = Arrays.stream(pool).max().orElse(0); // a window is the kernel, less what the padded end clips
        {
            for (int p = 0; p < k; p++) {
                if (out == 1) {
                    if (matches(in, out, k, 1, p, s, e, pool)) return new int[] {k, 1, p};
                    continue;
                }
                int stride = s[1] + p; // the second window starts at stride - pad (clipped at 0 only when the pad exceeds the stride)
                if (stride >= 1 && matches(in, out, k, stride, p, s, e, pool)) return new int[] {k, stride, p};
            }
        }
        return null;
    }

    private static boolean matches(int in, int out, int k, int stride, int p, int[] s, int[] e, int[] pool) {
        int[][] a = PoolWindows.avgAxis(in, out, k, stride, p);
        return Arrays.equals(a[0], s) && Arrays.equals(a[1], e) && Arrays.equals(a[2], pool);
    }
}
