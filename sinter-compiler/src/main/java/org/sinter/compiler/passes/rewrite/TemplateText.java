package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Op and spec text with symbols in it, the IR's text form made generic:
 * {@code Slice{dim: 2, start: $N1, end: $(N1 + N2), step: 1}}, {@code $T[$B, $*S]}. A template is
 * <em>instantiated</em> by substituting a binding ({@code $N} a value, {@code $*S} a list's
 * elements in place, {@code $(expr)} its value), and <em>unified</em> with concrete text (an op
 * the graph printed) by walking both token by token: an unbound {@code $N} takes the token or the
 * bracketed list found there, a bound one must equal it. An expression that cannot be evaluated yet
 * matches any one token: the caller instantiates the whole template afterwards and compares, so
 * nothing is accepted on a guess.
 */
final class TemplateText {
    private TemplateText() {}

    /** One token: {@code $name}, {@code $*name}, {@code $(expr)}, a number, a word, a quoted string, or one punctuation character. */
    record Token(Kind kind, String text, int start, int end) {}

    enum Kind { SYMBOL, VARIADIC, EXPR, LITERAL }

    /** {@code text} with every bound symbol replaced; unbound ones stay when {@code partial}, else the error names them. */
    static String substitute(String text, Binding b, boolean partial) {
        StringBuilder out = new StringBuilder();
        boolean emptied = false;
        int copied = 0;
        for (Token t : tokenize(text)) {
            out.append(text, copied, t.start());
            copied = t.end();
            String name = t.text().substring(t.kind() == Kind.VARIADIC ? 2 : 1);
            switch (t.kind()) {
                case LITERAL -> out.append(t.text());
                case EXPR -> {
                    Long v = partial ? Expr.tryEval(expression(t), b) : Long.valueOf(Expr.eval(expression(t), b));
                    out.append(v == null ? t.text() : v.toString());
                }
                case SYMBOL -> {
                    if (b.has(name)) out.append(Binding.text(b.get(name)));
                    else if (partial) out.append(t.text());
                    else throw new IllegalArgumentException("$" + name + " is not bound in '" + text + "'");
                }
                case VARIADIC -> {
                    if (b.has(name)) {
                        int[] l = b.list(name);
                        emptied |= l.length == 0;
                        for (int i = 0; i < l.length; i++) out.append(i == 0 ? "" : ", ").append(l[i]);
                    } else if (partial) {
                        out.append(t.text());
                    } else {
                        throw new IllegalArgumentException("$*" + name + " is not bound in '" + text + "'");
                    }
                }
            }
        }
        out.append(text.substring(copied));
        String s = out.toString();
        // An empty $*S leaves a dangling comma: "[, 4]" is "[4]".
        return emptied ? s.replaceAll("\\[\\s*,\\s*", "[").replaceAll("\\s*,\\s*]", "]").replaceAll(",\\s*,", ",") : s;
    }

    /** Binds the template's free symbols so that it reads as {@code concrete}; false when it cannot. */
    static boolean unify(String template, String concrete, Binding b) {
        List<Token> t = tokenize(substitute(template, b, true)), c = tokenize(concrete);
        int j = 0;
        for (Token tok : t) {
            if (j >= c.size()) return false;
            switch (tok.kind()) {
                case LITERAL -> {
                    if (!tok.text().equals(c.get(j++).text())) return false;
                }
                case SYMBOL -> {
                    int end = element(c, j);
                    Object value = end == j + 1 ? Binding.ofToken(c.get(j).text()) : list(c, j, end);
                    if (value == null || !b.unify(tok.text().substring(1), value)) return false;
                    j = end;
                }
                case EXPR -> {
                    int end = element(c, j);
                    Long v = Expr.tryEval(expression(tok), b);
                    if (v != null && (end != j + 1 || !v.toString().equals(c.get(j).text()))) return false;
                    j = end;
                }
                case VARIADIC -> {
                    return false; // a list's length is only learnt from a shape (see unifySpec)
                }
            }
        }
        return j == c.size();
    }

    /**
     * Unifies a spec template ({@code $T[$B, $*S, 4]}) with a concrete spec text
     * ({@code float32[2, 5, 7, 4]}); at most one {@code $*S} per shape, which takes what the other
     * dims leave.
     */
    static boolean unifySpec(String template, String concrete, Binding b) {
        String t = substitute(template, b, true);
        int open = t.indexOf('['), copen = concrete.indexOf('[');
        if (open < 0 || !t.endsWith("]")) throw new IllegalArgumentException("expected dtype[shape], got '" + template + "'");
        String dtype = t.substring(0, open).strip();
        String cdtype = concrete.substring(0, copen);
        if (dtype.startsWith("$") ? !b.unify(dtype.substring(1), cdtype) : !dtype.equals(cdtype)) return false;
        List<String> dims = splitTopLevel(t.substring(open + 1, t.length() - 1));
        List<String> cdims = splitTopLevel(concrete.substring(copen + 1, concrete.length() - 1));
        int variadic = -1;
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i).startsWith("$*")) {
                if (variadic >= 0) throw new IllegalArgumentException("two variadic dims in '" + template + "'");
                variadic = i;
            }
        }
        int fixed = dims.size() - (variadic >= 0 ? 1 : 0);
        if (variadic < 0 ? cdims.size() != fixed : cdims.size() < fixed) return false;
        int tail = dims.size() - variadic - 1;
        for (int i = 0, j = 0; i < dims.size(); i++) {
            String d = dims.get(i);
            if (i == variadic) {
                int n = cdims.size() - fixed;
                int[] l = new int[n];
                for (int k = 0; k < n; k++) l[k] = Integer.parseInt(cdims.get(j + k));
                if (!b.unify(d.substring(2), l)) return false;
                j = cdims.size() - tail;
            } else if (!unify(d, cdims.get(j++), b)) {
                return false;
            }
        }
        return true;
    }

    /** The expression inside {@code $( ... )}. */
    private static String expression(Token t) {
        return t.text().substring(2, t.text().length() - 1);
    }

    /** The end (exclusive) of the element starting at {@code j}: one token, or a bracketed group. */
    private static int element(List<Token> c, int j) {
        if (!c.get(j).text().equals("[")) return j + 1;
        int depth = 0;
        for (int k = j; k < c.size(); k++) {
            String s = c.get(k).text();
            if (s.equals("[")) depth++;
            else if (s.equals("]") && --depth == 0) return k + 1;
        }
        return c.size();
    }

    /** The integers of {@code [a, b, ...]} between tokens j and end, or null when it is not such a list. */
    private static int[] list(List<Token> c, int j, int end) {
        List<Integer> out = new ArrayList<>();
        for (int k = j + 1; k < end - 1; k++) {
            String s = c.get(k).text();
            if (s.equals(",")) continue;
            try {
                out.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final Pattern NUMBER = Pattern.compile("-?(?:\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?|Infinity)|NaN");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            Kind kind = Kind.LITERAL;
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int depth = 0;
                i++; // the '$'
                do {
                    if (s.charAt(i) == '(') depth++;
                    else if (s.charAt(i) == ')') depth--;
                    i++;
                } while (depth > 0 && i < s.length());
                if (depth > 0) throw new IllegalArgumentException("unclosed '$(' in '" + s + "'");
                kind = Kind.EXPR;
            } else if (c == '$') {
                boolean variadic = i + 1 < s.length() && s.charAt(i + 1) == '*';
                m.usePattern(WORD).region(i + (variadic ? 2 : 1), s.length());
                if (!m.lookingAt()) throw new IllegalArgumentException("'$' without a name in '" + s + "'");
                i = m.end();
                kind = variadic ? Kind.VARIADIC : Kind.SYMBOL;
            } else if (c == '"') {
                i++;
                while (i < s.length() && (s.charAt(i) != '"' || s.charAt(i - 1) == '\\')) i++;
                i = Math.min(i + 1, s.length());
            } else if (m.usePattern(NUMBER).region(i, s.length()).lookingAt() || m.usePattern(WORD).region(i, s.length()).lookingAt()) {
                i = m.end();
            } else {
                i++;
            }
            out.add(new Token(kind, s.substring(start, i), start, i));
        }
        return out;
    }

    /** Splits on commas outside brackets and parentheses. */
    static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[' || c == '(' || c == '{') depth++;
            else if (c == ']' || c == ')' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) out.add(s.substring(start).strip());
        return out;
    }
}
