package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Tensor;

/**
 * {@code Einsum}: every operand is laid out over one axis per letter of the equation (repeated
 * letters within an operand first taken along their diagonal, missing letters as size-1 axes),
 * the operands multiplied with broadcasting, and the letters not in the output summed away.
 * Ellipses stand for the same trailing batch axes in every operand, right-aligned as NumPy does;
 * without "->", the output is the ellipsis then the letters used once, in alphabetical order.
 * The product is formed in full before the sum, so this suits the small contractions of the
 * conformance tests and models' bookkeeping rather than large attention products (which exporters
 * write as MatMul).
 */
final class EinsumKernel {
    private EinsumKernel() {}

    static void register(OpRegistry r) {
        r.add("Einsum", EinsumKernel::einsum, "equation");
    }

    private static Tensor[] einsum(NodeContext n) {
        String eq = n.attrString("equation", "").replace(" ", "");
        if (eq.isEmpty()) throw n.error("attribute 'equation' is required");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] terms = lhs.split(",", -1);
        List<Tensor> ops = n.inputsFrom(0);
        if (terms.length != ops.size()) throw n.error("equation '" + eq + "' names " + terms.length + " operands, the node has " + ops.size());
        int ellipsis = 0;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i].contains("...")) ellipsis = Math.max(ellipsis, ops.get(i).dim() - (terms[i].length() - 3));
        }
        String dots = ellipsisLetters(ellipsis);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < terms.length; i++) {
            String t = terms[i];
            if (t.contains("...")) t = t.replace("...", dots.substring(ellipsis - (ops.get(i).dim() - (t.length() - 3))));
            if (t.length() != ops.get(i).dim()) throw n.error("operand " + i + " is " + ops.get(i).describe() + " but the equation gives it " + terms[i]);
            labels.add(t);
        }
        String out;
        if (arrow >= 0) {
            out = eq.substring(arrow + 2).replace("...", dots);
        } else {
            StringBuilder once = new StringBuilder();
            String all = String.join("", labels);
            all.chars().filter(Character::isLetter).distinct().sorted().filter(c -> all.indexOf(c) == all.lastIndexOf(c)).forEach(c -> once.append((char) c));
            out = dots + once;
        }
        // Every letter, output letters first.
        StringBuilder order = new StringBuilder(out);
        for (String l : labels) for (char c : l.toCharArray()) if (order.indexOf(String.valueOf(c)) < 0) order.append(c);
        Tensor product = null;
        for (int i = 0; i < labels.size(); i++) {
            Tensor t = spread(n, ops.get(i), labels.get(i), order.toString());
            product = product == null ? t : product.mul(t);
        }
        int extra = order.length() - out.length();
        if (extra > 0) {
            int[] dims = new int[extra];
            for (int i = 0; i < extra; i++) dims[i] = out.length() + i;
            product = product.sum(dims, false);
        }
        return one(product);
    }

    /** Letters standing for the ellipsis's axes: outside what equations may use. */
    private static String ellipsisLetters(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) b.append((char) ('\u0100' + i));
        return b.toString();
    }

    /** {@code x} (labelled {@code label}) over the axes {@code order}: diagonals taken, axes permuted, missing ones of size 1. */
    private static Tensor spread(NodeContext n, Tensor x, String label, String order) {
        StringBuilder l = new StringBuilder(label);
        for (int i = 0; i < l.length(); i++) {
            int j = l.indexOf(String.valueOf(l.charAt(i)), i + 1);
            if (j < 0) continue;
            if (x.size(i) != x.size(j)) throw n.error("letter '" + l.charAt(i) + "' labels axes of sizes " + x.size(i) + " and " + x.size(j));
            char c = l.charAt(i);
            x = x.diagonal(0, i, j); // the diagonal becomes the last axis
            l.deleteCharAt(j).deleteCharAt(i).append(c);
            i = -1;
        }
        int[] perm = new int[l.length()];
        int k = 0;
        for (char c : order.toCharArray()) {
            int at = l.indexOf(String.valueOf(c));
            if (at >= 0) perm[k++] = at;
        }
        Tensor p = x.permute(perm);
        int[] shape = new int[order.length()];
        Arrays.fill(shape, 1);
        for (int i = 0; i < order.length(); i++) {
            int at = l.indexOf(String.valueOf(order.charAt(i)));
            if (at >= 0) shape[i] = x.size(at);
        }
        return p.reshape(shape);
    }
}
