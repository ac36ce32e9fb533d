package org.sinter.compiler.ir;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.sinter.ops.Ints;
import org.sinter.ops.Op;

/**
 * The integer attributes of an op (sizes, dims, starts, pads, nested records' too), flattened in
 * a fixed order, and the op rebuilt with other values in their places: what shape specialisation
 * rewrites when one traced graph serves another batch size.
 */
public final class OpInts {
    private OpInts() {}

    public static int[] of(Op op) {
        List<Integer> out = new ArrayList<>();
        collect(op, out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code op} with its flattened int attributes replaced by {@code values} (same length as {@link #of}). */
    public static Op with(Op op, int[] values) {
        int[] pos = {0};
        Object r = rebuild(op, values, pos);
        if (pos[0] != values.length) throw new IllegalArgumentException(op.name() + " has " + pos[0] + " int attributes, got " + values.length);
        return (Op) r;
    }

    private static void collect(Object v, List<Integer> out) {
        if (v instanceof Integer i) out.add(i);
        else if (v instanceof Ints ints) for (int x : ints.values()) out.add(x);
        else if (v instanceof Record r) for (RecordComponent c : r.getClass().getRecordComponents()) collect(Records.read(r, c), out);
    }

    private static Object rebuild(Object v, int[] values, int[] pos) {
        if (v instanceof Integer) return values[pos[0]++];
        if (v instanceof Ints ints) {
            int[] a = new int[ints.size()];
            for (int i = 0; i < a.length; i++) a[i] = values[pos[0]++];
            return Ints.of(a);
        }
        if (!(v instanceof Record r)) return v;
        RecordComponent[] rc = r.getClass().getRecordComponents();
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) args[i] = rebuild(Records.read(r, rc[i]), values, pos);
        try {
            return Records.construct(r.getClass(), args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException("cannot rebuild " + r + " with new int attributes: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
