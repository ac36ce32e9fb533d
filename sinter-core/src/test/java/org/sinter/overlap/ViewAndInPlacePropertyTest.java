package org.sinter.overlap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.sinter.DType;
import org.sinter.Tensor;

/**
 * Property-based checks of the Tensor API's views and in-place ops over random shapes, strides,
 * offsets and overlaps (jqwik shrinks a failure to its smallest case):
 *
 * <ul>
 *   <li>a chain of views applied to a strided tensor reads the same values as the chain applied to a
 *       contiguous copy of it;
 *   <li>an in-place op on an arbitrary strided view, with an input that may alias it, either leaves
 *       memory exactly as writing the op's result on contiguous copies would, or refuses with the
 *       overlap error, and refuses only when memory is really shared.
 * </ul>
 */
class ViewAndInPlacePropertyTest {
    private static final String INTERNAL = "more than one element of the written-to tensor refers to a single memory location";
    private static final String PARTIAL = "some elements of the input tensor and the written-to tensor refer to a single memory location";
    private static final int BASE = 48;

    @Property(tries = 400)
    void viewChainsReadTheSameAsOnContiguousCopies(@ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 4) Integer> shape,
            @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 999) Integer> choices, @ForAll boolean transposeFirst) {
        Tensor base = Tensor.arange(0, Math.toIntExact(product(shape)), 1, DType.FLOAT64).reshape(toInts(shape));
        if (transposeFirst && base.dim() > 1) base = base.transpose(0, base.dim() - 1);
        Tensor strided = base, copy = base.contiguous();
        for (int i = 0; i < choices.size(); i++) {
            int c = choices.get(i);
            strided = randomView(strided, c, i);
            copy = randomView(copy, c, i);
        }
        assertArrayEquals(copy.shape(), strided.shape());
        assertArrayEquals(copy.toDoubleArray(), strided.toDoubleArray(), 0.0);
    }

    /** One view op chosen and parameterised by {@code c}, valid for x's shape. */
    private static Tensor randomView(Tensor x, int c, int salt) {
        int rank = x.dim();
        int[] sh = x.shape();
        int pick = (c + salt) % 8;
        if (rank == 0) return x.unsqueeze(0);
        int d = c % rank;
        int size = sh[d];
        switch (pick) {
            case 0: return x.transpose(d, (c / 7) % rank);
            case 1: { // slice with a step
                int start = size == 0 ? 0 : (c / 3) % size;
                return x.slice(d, start, size, 1 + (c / 11) % 3);
            }
            case 2: { // narrow
                int start = size == 0 ? 0 : (c / 5) % (size + 1);
                return x.narrow(d, start, (c / 13) % (size - start + 1));
            }
            case 3: return size == 0 ? x : x.select(d, (c / 17) % size);
            case 4: { // unsqueeze then expand the new dim
                Tensor u = x.unsqueeze(d);
                int[] to = u.shape();
                to[d] = 1 + (c / 19) % 3;
                return u.expand(to);
            }
            case 5: { // possibly overlapping windows
                if (size == 0) return x;
                int win = 1 + (c / 23) % size;
                return x.unfold(d, win, 1 + (c / 29) % 2);
            }
            case 6: return rank >= 2 ? x.diagonal((c / 31) % 2, d, (d + 1) % rank) : x.flip(0);
            default: {
                int[] perm = new int[rank];
                for (int i = 0; i < rank; i++) perm[i] = (i + c) % rank;
                return x.permute(perm);
            }
        }
    }

    @Property(tries = 1000)
    void inPlaceOpsWriteTheirMeaningOrRefuse(@ForAll("ops") String op,
            @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 0, max = 4) Integer> sizes,
            @ForAll @Size(min = 3, max = 3) List<@IntRange(min = 0, max = 9) Integer> outStrides,
            @ForAll @IntRange(min = 0, max = 20) int outOffset,
            @ForAll @Size(min = 3, max = 3) List<@IntRange(min = 0, max = 9) Integer> inStrides,
            @ForAll @IntRange(min = 0, max = 20) int inOffset,
            @ForAll @IntRange(min = 0, max = 2) int inputKind) {
        int[] shape = toInts(sizes);
        int[] os = Arrays.copyOf(toInts(outStrides), shape.length), is = Arrays.copyOf(toInts(inStrides), shape.length);
        if (maxOffset(shape, os, outOffset) >= BASE || maxOffset(shape, is, inOffset) >= BASE) return; // out of the storage
        Tensor base = Tensor.arange(1, BASE + 1, 1, DType.FLOAT64);
        Tensor out = base.asStrided(shape, os, outOffset);
        // The input: a view of the same storage (may alias out), a fresh tensor, or its broadcast last row.
        Tensor in = switch (inputKind) {
            case 0 -> base.asStrided(shape, is, inOffset);
            case 1 -> Tensor.arange(200, 200 + BASE, 1, DType.FLOAT64).asStrided(shape, is, inOffset);
            default -> base.asStrided(new int[] {shape[shape.length - 1]}, new int[] {is[shape.length - 1]}, inOffset);
        };
        int[] outAt = offsets(out);
        double[] expected = base.toDoubleArray();
        boolean selfOverlap = new HashSet<>(boxed(outAt)).size() != outAt.length;
        double[] values = meaning(op, out.clone(), in.clone()).toDoubleArray();
        for (int i = 0; i < outAt.length; i++) expected[outAt[i]] = values[i];

        try {
            apply(op, out, in);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            if (m.contains(INTERNAL)) {
                assertTrue(selfOverlap && !op.equals("fill_"), "refused a write without self-overlap: " + m);
            } else if (m.contains(PARTIAL)) {
                assertTrue(shares(outAt, offsets(in)) && in.storage() == base.storage(), "refused inputs that share no memory: " + m);
            } else {
                throw e;
            }
            return;
        }
        assertTrue(!selfOverlap || op.equals("fill_"), "wrote a self-overlapping tensor " + Arrays.toString(os) + " " + op);
        assertArrayEquals(expected, base.toDoubleArray(), 0.0, op + " on " + out + " with " + in);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> ops() {
        return net.jqwik.api.Arbitraries.of("add_", "mul_", "sub_", "copy_", "add_alpha", "neg_", "fill_", "exp_");
    }

    private static Tensor meaning(String op, Tensor self, Tensor in) {
        return switch (op) {
            case "add_" -> self.add(in);
            case "mul_" -> self.mul(in);
            case "sub_" -> self.sub(in);
            case "copy_" -> in.expand(self.shape()).contiguous();
            case "add_alpha" -> self.add(in.mul(2.0));
            case "neg_" -> self.neg();
            case "fill_" -> Tensor.fullLike(self, 7.0);
            case "exp_" -> self.exp();
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static void apply(String op, Tensor self, Tensor in) {
        switch (op) {
            case "add_" -> self.add_(in);
            case "mul_" -> self.mul_(in);
            case "sub_" -> self.sub_(in);
            case "copy_" -> self.copy_(in);
            case "add_alpha" -> self.add_(in, 2.0);
            case "neg_" -> self.neg_();
            case "fill_" -> self.fill_(7.0);
            case "exp_" -> self.exp_();
            default -> throw new IllegalArgumentException(op);
        }
    }

    /** Storage offsets of t's elements in row-major order. */
    static int[] offsets(Tensor t) {
        int[] sh = t.shape(), st = t.stride();
        int n = Math.toIntExact(t.numel());
        int[] out = new int[n], idx = new int[sh.length];
        for (int i = 0; i < n; i++) {
            int o = t.storageOffset();
            for (int d = 0; d < sh.length; d++) o += idx[d] * st[d];
            out[i] = o;
            for (int d = sh.length - 1; d >= 0 && ++idx[d] == sh[d]; d--) idx[d] = 0;
        }
        return out;
    }

    private static boolean shares(int[] a, int[] b) {
        Set<Integer> s = new HashSet<>(boxed(a));
        for (int x : b) if (s.contains(x)) return true;
        return false;
    }

    private static List<Integer> boxed(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int x : a) l.add(x);
        return l;
    }

    private static long maxOffset(int[] shape, int[] strides, int offset) {
        long m = offset;
        for (int d = 0; d < shape.length; d++) m += (long) Math.max(shape[d] - 1, 0) * strides[d];
        return m;
    }

    private static long product(List<Integer> l) {
        long p = 1;
        for (int x : l) p *= x;
        return p;
    }

    private static int[] toInts(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
