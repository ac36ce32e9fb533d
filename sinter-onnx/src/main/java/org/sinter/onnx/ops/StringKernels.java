package org.sinter.onnx.ops;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.ElementTypes;
import org.sinter.onnx.OnnxStrings;
import org.sinter.onnx.proto.Onnx.AttributeProto;
import org.sinter.onnx.proto.Onnx.TensorProto.DataType;

/**
 * The string operators, run on {@link OnnxStrings} values by the eager runner: {@code
 * StringNormalizer}, and {@code Cast}/{@code CastLike} between strings and numbers with the ONNX
 * spec's rules (plain and scientific literals in, case-insensitive "INF", "+INF", "-INF", "NaN";
 * numbers out in plain positional notation with the fewest digits that read back to the same
 * value).
 */
public final class StringKernels {
    private StringKernels() {}

    /**
     * ONNX StringNormalizer: drops the stopwords (case-insensitively unless {@code is_case_sensitive})
     * from a [C] or [1, C] input, then changes case (LOWER, UPPER or NONE); when every string is
     * dropped the output is one empty string, [1] or [1, 1].
     */
    public static OnnxStrings normalize(NodeContext n, OnnxStrings x) {
        int[] shape = x.shape();
        if (!(shape.length == 1 || shape.length == 2 && shape[0] == 1)) {
            throw n.error("input must be [C] or [1, C], got " + java.util.Arrays.toString(shape));
        }
        String action = n.attrString("case_change_action", "NONE");
        if (!action.equals("NONE") && !action.equals("LOWER") && !action.equals("UPPER")) {
            throw n.error("case_change_action must be LOWER, UPPER or NONE, got '" + action + "'");
        }
        boolean caseSensitive = n.attrInt("is_case_sensitive", 0) != 0;
        Locale locale = n.hasAttr("locale") ? Locale.forLanguageTag(n.attrString("locale", "").replace('_', '-')) : Locale.ROOT;
        Set<String> stop = new HashSet<>();
        for (String s : n.attrStrings("stopwords")) stop.add(caseSensitive ? s : s.toLowerCase(locale));
        List<String> kept = new ArrayList<>();
        for (String s : x.values()) {
            if (stop.contains(caseSensitive ? s : s.toLowerCase(locale))) continue;
            kept.add(switch (action) {
                case "LOWER" -> s.toLowerCase(locale);
                case "UPPER" -> s.toUpperCase(locale);
                default -> s;
            });
        }
        if (kept.isEmpty()) kept.add("");
        return shape.length == 1 ? OnnxStrings.of(kept, kept.size()) : OnnxStrings.of(kept, 1, kept.size());
    }

    /** Cast of numbers to strings. */
    public static OnnxStrings toStrings(Tensor x) {
        List<String> out = new ArrayList<>((int) x.numel());
        if (x.dtype() == DType.BOOL) {
            for (boolean b : x.toBooleanArray()) out.add(b ? "1" : "0");
        } else if (x.dtype() == DType.INT32 || x.dtype() == DType.INT64) {
            for (long v : x.toLongArray()) out.add(Long.toString(v));
        } else if (x.dtype() == DType.FLOAT64) {
            for (double v : x.toDoubleArray()) out.add(plain(v, Double.toString(v)));
        } else {
            // float32, float16, bfloat16: the shortest decimal that reads back as the same float32.
            for (float v : x.to(DType.FLOAT32).toFloatArray()) out.add(plain(v, Float.toString(v)));
        }
        return OnnxStrings.of(out, x.shape());
    }

    private static String plain(double v, String shortest) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "INF" : "-INF";
        if (v == 0) return 1 / v < 0 ? "-0" : "0";
        return new BigDecimal(shortest).stripTrailingZeros().toPlainString();
    }

    /** Cast of strings to ONNX element type {@code to} (a number type). */
    public static Tensor fromStrings(NodeContext n, OnnxStrings x, int to) {
        DType dtype = ElementTypes.dtype(to, n.describe() + " attribute 'to'");
        int[] shape = x.shape();
        int count = x.size();
        if (dtype.isFloatingPoint()) {
            double[] v = new double[count];
            for (int i = 0; i < count; i++) v[i] = parseReal(n, x.get(i));
            return Tensor.of(v).reshape(shape).to(dtype);
        }
        if (dtype == DType.BOOL) {
            boolean[] v = new boolean[count];
            for (int i = 0; i < count; i++) {
                String s = x.get(i).strip();
                v[i] = s.equalsIgnoreCase("true") || !s.equalsIgnoreCase("false") && parseReal(n, s) != 0;
            }
            return Tensor.of(v).reshape(shape);
        }
        long[] v = new long[count];
        long[] range = range(to);
        for (int i = 0; i < count; i++) {
            v[i] = parseInteger(n, x.get(i));
            if (v[i] < range[0] || v[i] > range[1]) {
                throw n.error("string '" + x.get(i) + "' (element " + i + ") is outside " + ElementTypes.name(to) + "'s range " + range[0] + ".." + range[1]);
            }
        }
        return Tensor.of(v).reshape(shape).to(dtype);
    }

    private static double parseReal(NodeContext n, String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("+inf")) return Double.POSITIVE_INFINITY;
        if (t.equalsIgnoreCase("-inf")) return Double.NEGATIVE_INFINITY;
        if (t.equalsIgnoreCase("nan")) return Double.NaN;
        try {
            if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) throw new NumberFormatException();
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw n.error("string '" + s + "' is not a number");
        }
    }

    /** An integer literal, or a real one truncated toward zero ("100.5" gives 100, as the spec allows). */
    private static long parseInteger(NodeContext n, String s) {
        String t = s.strip();
        try {
            return Long.parseLong(t.startsWith("+") ? t.substring(1) : t);
        } catch (NumberFormatException e) {
            double d = parseReal(n, s);
            if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 0x1p63) throw n.error("string '" + s + "' does not fit a 64-bit integer");
            return (long) d;
        }
    }

    private static long[] range(int code) {
        return switch (DataType.forNumber(code)) {
            case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case UINT8 -> new long[] {0, 255};
            case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case UINT16 -> new long[] {0, 65535};
            case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case UINT32 -> new long[] {0, 0xFFFFFFFFL};
            case UINT64 -> new long[] {0, Long.MAX_VALUE};
            default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        };
    }

    /** Whether {@code node} is a Cast to STRING (its output is strings whatever its input). */
    public static boolean castsToString(org.sinter.onnx.proto.Onnx.NodeProto node) {
        if (!node.getOpType().equals("Cast")) return false;
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals("to") && a.getI() == DataType.STRING_VALUE) return true;
        return false;
    }
}
