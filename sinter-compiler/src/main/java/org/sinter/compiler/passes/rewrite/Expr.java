package org.sinter.compiler.passes.rewrite;

/**
 * Integer arithmetic over a rule's symbols, as written in {@code $(N1 + N2)} inside a template or
 * on a {@code where}/{@code sample} line: integers, symbols ({@code N} or {@code $N}),
 * {@code + - * / %} (division rounds down, as a convolution's output size does), parentheses,
 * and {@code rank(S)} / {@code numel(S)} of a list. Evaluated directly from the text: rule
 * expressions are a few characters long.
 */
final class Expr {
    /** Thrown when the expression reads a symbol that is not bound yet (the caller may try again later). */
    static final class Unbound extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Unbound(String symbol) {
            super("$" + symbol + " is not bound");
        }
    }

    private final String s;
    private final Binding b;
    private int pos;

    private Expr(String s, Binding b) {
        this.s = s;
        this.b = b;
    }

    /** The value of {@code text} under {@code b}; {@link Unbound} when a symbol has no value, IllegalArgumentException on bad text. */
    static long eval(String text, Binding b) {
        Expr e = new Expr(text, b);
        long v = e.sum();
        e.skipSpace();
        if (e.pos != text.length()) throw e.error("unexpected '" + text.charAt(e.pos) + "'");
        return v;
    }

    /** The value, or null when a symbol is unbound. */
    static Long tryEval(String text, Binding b) {
        try {
            return eval(text, b);
        } catch (Unbound u) {
            return null;
        }
    }

    private long sum() {
        long v = product();
        for (char c; (c = peek()) == '+' || c == '-'; ) {
            pos++;
            v = c == '+' ? v + product() : v - product();
        }
        return v;
    }

    private long product() {
        long v = unary();
        for (char c; (c = peek()) == '*' || c == '/' || c == '%'; ) {
            pos++;
            long r = unary();
            if (c != '*' && r == 0) throw error("division by zero");
            v = c == '*' ? v * r : c == '/' ? Math.floorDiv(v, r) : Math.floorMod(v, r);
        }
        return v;
    }

    private long unary() {
        if (peek() == '-') {
            pos++;
            return -unary();
        }
        if (peek() == '(') {
            pos++;
            long v = sum();
            expect(')');
            return v;
        }
        if (Character.isDigit(peek())) {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) pos++;
            return Long.parseLong(s.substring(start, pos));
        }
        String name = name();
        if (peek() == '(' && (name.equals("rank") || name.equals("numel"))) {
            pos++;
            String list = name();
            expect(')');
            if (!b.has(list)) throw new Unbound(list);
            int[] l = b.list(list);
            long n = 1;
            for (int d : l) n *= d;
            return name.equals("rank") ? l.length : n;
        }
        if (!b.has(name)) throw new Unbound(name);
        return b.integer(name);
    }

    private String name() {
        if (peek() == '$') pos++;
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
        if (start == pos) throw error(pos < s.length() ? "unexpected '" + s.charAt(pos) + "'" : "unexpected end");
        return s.substring(start, pos);
    }

    private char peek() {
        skipSpace();
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("expression '" + s + "' at " + pos + ": " + what);
    }
}
