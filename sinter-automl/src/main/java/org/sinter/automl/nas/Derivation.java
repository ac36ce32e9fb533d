package org.sinter.automl.nas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.sinter.Tensor;

/**
 * DARTS' discretisation (Liu et al. 2019, section 2.4): with {@code w = softmax(alpha)} per edge, each edge's strength is
 * its largest non-{@code none} weight and its operation that weight's; every intermediate node keeps its two strongest
 * incoming edges. Ties go to the earlier edge and, within an edge, to the earlier operation (as PyTorch's sort and argmax).
 */
public final class Derivation {
    private Derivation() {}

    public static Genotype derive(Tensor alpha, int nodes) {
        int edges = CellStack.NetworkShape.edges(nodes), ops = Operation.values().length;
        if (alpha.dim() != 2 || alpha.size(0) != edges || alpha.size(1) != ops)
            throw new IllegalArgumentException("derive: alpha must be [" + edges + ", " + ops + "] for " + nodes + " nodes, got "
                    + Arrays.toString(alpha.shape()));
        double[] w = alpha.detach().to(org.sinter.DType.FLOAT64).softmax(1).toDoubleArray();
        List<List<Genotype.Edge>> cell = new ArrayList<>();
        for (int j = 0; j < nodes; j++) {
            List<double[]> candidates = new ArrayList<>(); // {strength, input, op}
            for (int i = 0; i < j + 2; i++) {
                int row = CellStack.NetworkShape.edgeIndex(j, i) * ops;
                int best = -1;
                for (int o = 0; o < ops; o++) {
                    if (o == Operation.NONE.ordinal()) continue;
                    if (best < 0 || w[row + o] > w[row + best]) best = o;
                }
                candidates.add(new double[] {w[row + best], i, best});
            }
            candidates.sort(Comparator.<double[]>comparingDouble(c -> -c[0]).thenComparingDouble(c -> c[1]));
            List<Genotype.Edge> kept = new ArrayList<>();
            for (double[] c : candidates.subList(0, 2)) kept.add(new Genotype.Edge(Operation.values()[(int) c[2]], (int) c[1]));
            kept.sort(Comparator.comparingInt(Genotype.Edge::input));
            cell.add(kept);
        }
        return new Genotype(cell);
    }
}
