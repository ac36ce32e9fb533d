package org.sinter.nn;

import java.math.BigDecimal;

/** Formats numbers the way Python's {@code repr} does, so {@code extraRepr} reads like PyTorch's. */
public final class PyRepr {
    private PyRepr() {}

    /** Python's repr of a float: {@code 1.0}, {@code 0.01}, {@code 1e-05}, {@code inf}. */
    public static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        // Java's shortest round-trip digits, then Python's choice of positional vs exponent form.
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the leading digit
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = d.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** An integer-valued number without a fraction (Python int), any other as {@link #pyFloat}. */
    public static String pyNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return pyFloat(v);
    }

    /** Python's True/False. */
    public static String pyBool(boolean b) {
        return b ? "True" : "False";
    }
}
