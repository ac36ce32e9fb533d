package org.sinter;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats tensors exactly as PyTorch's {@code str(tensor)} does: one shared element format
 * (integer, fixed with 4 decimals, or scientific) chosen from the nonzero finite values, rows
 * wrapped at 80 columns, summarized with "..." beyond 1000 elements, and the dtype, requires_grad
 * and grad_fn suffixes.
 */
final class TensorPrinter {
    private static final int PRECISION = 4, LINEWIDTH = 80, THRESHOLD = 1000, EDGE = 3;

    private TensorPrinter() {}

    static String format(Tensor t) {
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        String body;
        double[] all;
        Tensor v; // the values, on the host (one copy of a GPU tensor); suffixes come from t itself
        try (var _ = GradMode.set(false)) {
            v = t.device().type() == Device.Type.CUDA ? DeviceTransfer.copy(t, Device.CPU) : t;
            all = v.toDoubleArray();
        }
        if (t.numel() == 0) {
            body = "[]";
            if (!(t.dim() == 1 && t.shape[0] == 0)) suffixes.add("size=" + tuple(t.shape));
        } else {
            boolean summarize = t.numel() > THRESHOLD;
            Formatter f = new Formatter(t.dtype, summarize ? summarized(v) : all);
            body = t.dim() == 0 ? f.format(all[0]) : tensorStr(v, all, 0, v.offset0(), indent, summarize, f);
        }
        if (t.device().type() == Device.Type.CUDA) suffixes.add("device='" + t.device() + "'"); // PyTorch's order: device first
        boolean implied = t.numel() > 0 && (t.dtype == DType.INT64 || t.dtype == DType.BOOL);
        if (t.dtype != DType.FLOAT32 && !implied) suffixes.add("dtype=" + t.dtype.torchName());
        if (t.gradFn != null) suffixes.add("grad_fn=<" + t.gradFn.name() + ">");
        else if (t.requiresGrad) suffixes.add("requires_grad=True");
        StringBuilder sb = new StringBuilder(prefix).append(body);
        // PyTorch's _add_suffixes, including its off-by-two count of the last line.
        int lastLine = sb.length() - sb.lastIndexOf("\n") + 1;
        for (String suf : suffixes) {
            if (lastLine + suf.length() + 2 > LINEWIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suf);
                lastLine = indent + suf.length();
            } else {
                sb.append(", ").append(suf);
                lastLine += suf.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
        if (shape.length == 1) sb.append(',');
        return sb.append(')').toString();
    }

    /** The values a summarized print shows (edges of every dim), for choosing the format. */
    private static double[] summarized(Tensor t) {
        List<Double> vals = new ArrayList<>();
        collectEdges(t, 0, new int[t.dim()], vals);
        double[] r = new double[vals.size()];
        for (int i = 0; i < r.length; i++) r[i] = vals.get(i);
        return r;
    }

    private static void collectEdges(Tensor t, int d, int[] idx, List<Double> out) {
        if (d == t.dim()) { out.add(t.get(idx)); return; }
        int n = t.shape[d];
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i >= EDGE && i < n - EDGE) continue;
            idx[d] = i;
            collectEdges(t, d + 1, idx, out);
        }
    }

    /** Recursively prints dim d of the row-major value array {@code all} starting at flat position pos. */
    private static String tensorStr(Tensor t, double[] all, int d, int pos, int indent, boolean summarize, Formatter f) {
        int n = t.shape[d];
        int rank = t.dim() - d;
        int inner = 1;
        for (int k = d + 1; k < t.dim(); k++) inner *= t.shape[k];
        if (rank == 1) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (summarize && n > 2 * EDGE && i == EDGE) { items.add(" ..."); i = n - EDGE - 1; continue; }
                items.add(f.format(all[pos + i]));
            }
            int elementSize = f.width + 2;
            int perLine = Math.max(1, (LINEWIDTH - indent) / elementSize);
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < items.size(); i += perLine) lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
            return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
        }
        List<String> slices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) { slices.add("..."); i = n - EDGE - 1; continue; }
            slices.add(tensorStr(t, all, d + 1, pos + i * inner, indent + 1, summarize, f));
        }
        return "[" + String.join("," + "\n".repeat(rank - 1) + " ".repeat(indent + 1), slices) + "]";
    }

    /** PyTorch's _Formatter: one width and mode for all elements. */
    static final class Formatter {
        final DType dtype;
        boolean intMode = true, sciMode = false;
        int width = 1;

        Formatter(DType dtype, double[] values) {
            this.dtype = dtype;
            if (!dtype.isFloatingPoint()) {
                for (double v : values) width = Math.max(width, plain(v).length());
                return;
            }
            double min = Double.POSITIVE_INFINITY, max = 0;
            boolean any = false;
            for (double v : values) {
                if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) continue;
                any = true;
                double a = Math.abs(v);
                min = Math.min(min, a);
                max = Math.max(max, a);
                if (v != Math.ceil(v)) intMode = false;
            }
            if (!any) return;
            if (intMode) {
                if (max / min > 1000 || max > 1e8) {
                    sciMode = true;
                    for (double v : values) if (finiteNonzero(v)) width = Math.max(width, sci(v).length());
                } else {
                    for (double v : values) if (finiteNonzero(v)) width = Math.max(width, fixed(v, 0).length() + 1);
                }
            } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
                sciMode = true;
                for (double v : values) if (finiteNonzero(v)) width = Math.max(width, sci(v).length());
            } else {
                for (double v : values) if (finiteNonzero(v)) width = Math.max(width, fixed(v, PRECISION).length());
            }
        }

        private static boolean finiteNonzero(double v) {
            return v != 0 && !Double.isNaN(v) && !Double.isInfinite(v);
        }

        String format(double v) {
            String r;
            if (dtype.isFloatingPoint()) {
                if (sciMode) r = sci(v);
                else if (intMode) r = Double.isNaN(v) || Double.isInfinite(v) ? special(v) : fixed(v, 0) + ".";
                else r = fixed(v, PRECISION);
            } else {
                r = plain(v);
            }
            return r.length() >= width ? r : " ".repeat(width - r.length()) + r;
        }

        private String plain(double v) {
            if (dtype == DType.BOOL) return v != 0 ? "True" : "False";
            return Long.toString((long) v);
        }

        private static String special(double v) {
            return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }

        /** Python's '{:.Nf}': exact decimal value of the double, rounded half-even. */
        static String fixed(double v, int decimals) {
            if (Double.isNaN(v) || Double.isInfinite(v)) return special(v);
            String s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
            if ((v < 0 || (v == 0 && 1 / v < 0)) && !s.startsWith("-")) s = "-" + s;
            return s;
        }

        /** Python's '{:.4e}'. */
        static String sci(double v) {
            if (Double.isNaN(v) || Double.isInfinite(v)) return special(v);
            if (v == 0) return (1 / v < 0 ? "-" : "") + "0." + "0".repeat(PRECISION) + "e+00";
            BigDecimal b = new BigDecimal(v).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            int exp = b.precision() - b.scale() - 1;
            BigDecimal mant = b.movePointLeft(exp).setScale(PRECISION, RoundingMode.HALF_EVEN);
            String e = Integer.toString(Math.abs(exp));
            return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
    }
}
