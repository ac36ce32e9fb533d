package org.sinter.autotune.te;

import java.util.Map;
import java.util.TreeMap;

/**
 * An integer index expression {@code Σ coef·var + constant}: every index a tensor expression reads
 * or writes is one (strided, dilated and padded convolutions included), so splitting a loop is a
 * substitution and a stride is a coefficient. Immutable; variables are kept sorted so equal
 * expressions print equally.
 */
public record Affine(Map<String, Integer> terms, int constant) {
    public Affine {
        TreeMap<String, Integer> t = new TreeMap<>();
        terms.forEach((k, v) -> { if (v != 0) t.put(k, v); });
        terms = java.util.Collections.unmodifiableMap(t);
    }

    public static Affine var(String name) {
        return new Affine(Map.of(name, 1), 0);
    }

    public static Affine constant(int c) {
        return new Affine(Map.of(), c);
    }

    public Affine plus(Affine o) {
        TreeMap<String, Integer> t = new TreeMap<>(terms);
        o.terms.forEach((k, v) -> t.merge(k, v, Integer::sum));
        return new Affine(t, constant + o.constant);
    }

    public Affine plus(int c) {
        return new Affine(terms, constant + c);
    }

    public Affine times(int c) {
        TreeMap<String, Integer> t = new TreeMap<>();
        terms.forEach((k, v) -> t.put(k, v * c));
        return new Affine(t, constant * c);
    }

    public int coef(String var) {
        return terms.getOrDefault(var, 0);
    }

    /** This expression with {@code var} replaced by {@code by}. */
    public Affine substitute(String var, Affine by) {
        int c = coef(var);
        if (c == 0) return this;
        TreeMap<String, Integer> t = new TreeMap<>(terms);
        t.remove(var);
        return new Affine(t, constant).plus(by.times(c));
    }

    /** Its value with every variable bound in {@code env} (a missing one is an error). */
    public int eval(Map<String, Integer> env) {
        int s = constant;
        for (var e : terms.entrySet()) {
            Integer v = env.get(e.getKey());
            if (v == null) throw new IllegalStateException("affine: variable " + e.getKey() + " is unbound in " + this);
            s += e.getValue() * v;
        }
        return s;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        terms.forEach((k, v) -> {
            if (!sb.isEmpty()) sb.append(" + ");
            sb.append(v == 1 ? k : v + "*" + k);
        });
        if (constant != 0 || sb.isEmpty()) sb.append(sb.isEmpty() ? "" : " + ").append(constant);
        return sb.toString();
    }
}
