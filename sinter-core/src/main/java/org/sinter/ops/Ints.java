package org.sinter.ops;

import java.util.Arrays;

/**
 * An immutable list of ints with value equality: the form int-array attributes (dims, shapes,
 * pads) take inside op records, so two calls with equal attributes are equal ops and can key a
 * kernel cache. A plain {@code int[]} would compare by identity.
 */
public record Ints(int[] values) {
    public Ints {
        values = values.clone();
    }

    public static Ints of(int... values) {
        return new Ints(values);
    }

    /** A copy of the values (callers may modify it). */
    public int[] toArray() {
        return values.clone();
    }

    @Override public int[] values() { return values.clone(); }

    public int size() { return values.length; }

    public int get(int i) { return values[i]; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ints i && Arrays.equals(i.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return Arrays.toString(values);
    }
}
