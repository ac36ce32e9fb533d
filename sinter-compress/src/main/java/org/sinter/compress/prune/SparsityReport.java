package org.sinter.compress.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.ConvNd;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;

/**
 * The zeros in each Linear and Conv weight of a model, and in all of them together: what a pruned
 * model really holds (counted from the weights, so it also covers weights whose masks were removed).
 */
public record SparsityReport(List<LayerSparsity> layers) {
    public SparsityReport {
        layers = List.copyOf(layers);
    }

    public static SparsityReport of(Module model) {
        List<LayerSparsity> out = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            Module m = e.getValue();
            if (!(m instanceof Linear || m instanceof ConvNd)) continue;
            Tensor w = m.namedParameters().get("weight");
            long zeros = 0;
            for (float v : w.toFloatArray()) if (v == 0f) zeros++;
            String name = e.getKey().isEmpty() ? "weight" : e.getKey() + ".weight";
            out.add(new LayerSparsity(name, w.shape(), w.numel(), zeros));
        }
        return new SparsityReport(out);
    }

    public long numel() {
        return layers.stream().mapToLong(LayerSparsity::numel).sum();
    }

    public long zeros() {
        return layers.stream().mapToLong(LayerSparsity::zeros).sum();
    }

    /** Zeros over all reported weights. */
    public double globalSparsity() {
        long n = numel();
        return n == 0 ? 0 : zeros() / (double) n;
    }

    public LayerSparsity layer(String name) {
        for (LayerSparsity l : layers) if (l.name().equals(name)) return l;
        throw new IllegalArgumentException("sparsity report: no layer named '" + name + "'");
    }

    /** A fixed-width table, one weight a line and the total last. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%-24s %-18s %10s %10s %9s%n", "weight", "shape", "numel", "zeros", "sparsity"));
        for (LayerSparsity l : layers) {
            sb.append(String.format("%-24s %-18s %10d %10d %8.2f%%%n", l.name(), Arrays.toString(l.shape()), l.numel(), l.zeros(), 100 * l.sparsity()));
        }
        sb.append(String.format("%-24s %-18s %10d %10d %8.2f%%", "total", "", numel(), zeros(), 100 * globalSparsity()));
        return sb.toString();
    }
}
