package org.sinter.compiler.passes.rewrite;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values of a rule's symbols: {@code $N} an integer (a size, a dim, a stride), {@code $*S} or a
 * list-valued {@code $P} a list of integers (a shape), {@code $T} a word (a dtype, an enum
 * constant, a boolean, a quoted string). Matching fills a binding from the graph; verification
 * fills one by sampling. Binding a bound symbol to another value fails: that is how a symbol used
 * twice ({@code %a: $T[$M, $K]}, {@code %b: $T[$K, $N]}) states that two sizes agree.
 */
final class Binding {
    private final Map<String, Object> values = new LinkedHashMap<>();

    Binding copy() {
        Binding b = new Binding();
        b.values.putAll(values);
        return b;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object get(String name) {
        return values.get(name);
    }

    /** The integer bound to {@code name}; the error names the symbol when it is unbound or not an integer. */
    long integer(String name) {
        Object v = values.get(name);
        if (v instanceof Long l) return l;
        throw new IllegalArgumentException("$" + name + (v == null ? " is not bound" : " is " + text(v) + ", not an integer"));
    }

    /** The list bound to {@code name}. */
    int[] list(String name) {
        Object v = values.get(name);
        if (v instanceof int[] l) return l.clone();
        throw new IllegalArgumentException("$" + name + (v == null ? " is not bound" : " is " + text(v) + ", not a list"));
    }

    /** Binds {@code name}, or checks that it already holds an equal value; false on a conflict. */
    boolean unify(String name, Object value) {
        Object old = values.get(name);
        if (old == null) {
            values.put(name, value instanceof int[] l ? l.clone() : value);
            return true;
        }
        return old instanceof int[] a && value instanceof int[] b ? Arrays.equals(a, b) : old.equals(value);
    }

    void put(String name, Object value) {
        values.put(name, value instanceof int[] l ? l.clone() : value);
    }

    /** A value as it is written in op and spec text: {@code 3}, {@code [2, 3]}, {@code float32}. */
    static String text(Object v) {
        return v instanceof int[] l ? Arrays.toString(l) : String.valueOf(v);
    }

    /** The value of one concrete token: an integer when it is one, else the word itself. */
    static Object ofToken(String token) {
        try {
            return Long.parseLong(token);
        } catch (NumberFormatException e) {
            return token;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('$').append(k).append('=').append(text(v)));
        return sb.append('}').toString();
    }
}
