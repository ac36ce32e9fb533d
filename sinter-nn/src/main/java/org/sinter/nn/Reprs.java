package org.sinter.nn;

import java.math.BigDecimal;

/**
 * Python-style text for module {@code extraRepr}s: tuples {@code (3, 3)} and {@code (64,)},
 * floats as Python's repr writes them ({@code 1e-05}, {@code 0.1}), {@code True}/{@code False}.
 * (Shared by the convolution, pooling, normalization and embedding modules.)
 */
final class Reprs {
    private Reprs() {}

    static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
