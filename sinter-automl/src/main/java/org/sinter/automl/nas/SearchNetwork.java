package org.sinter.automl.nas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.nn.ModuleList;

/**
 * DARTS' supernet: every cell edge is a {@link MixedOperation}, and all cells share one architecture tensor
 * {@code alpha [edges, operations]} whose row-wise softmax weights the operations. {@code alpha} is kept apart from the
 * module's parameters ({@link #parameters()} are the network weights only), because the bilevel search updates the two on
 * different data with different optimizers.
 *
 * <p>With {@link #sample(Genotype)} set the network runs only the sampled operations on the sampled edges (the one-shot
 * supernet's single path, as in random-sampling NAS / ENAS): the same shared weights, no {@code alpha}.
 */
public final class SearchNetwork extends CellStack {
    private final ModuleList cells = registerModule("cells", new ModuleList());
    private Tensor alpha;
    private Genotype sampled;

    @SuppressWarnings("this-escape") // registers its submodules in the constructor, as PyTorch modules do
    public SearchNetwork(NetworkShape shape, Generator generator) {
        super(shape);
        for (int i = 0; i < shape.cells(); i++) {
            ModuleList edges = new ModuleList();
            for (int e = 0; e < shape.edges(); e++) edges.add(new MixedOperation(shape.cellChannels(i)));
            cells.add(edges);
        }
        // DARTS initialises alpha to 1e-3 * N(0, 1): nearly uniform weights, ties broken at random.
        alpha = generator.randn(org.sinter.DType.FLOAT32, shape.edges(), Operation.values().length).mul(1e-3).requiresGrad(true);
    }

    /** The architecture parameters (a leaf tensor requiring grad). */
    public Tensor alpha() {
        return alpha;
    }

    /**
     * Replaces {@code alpha} with a fresh leaf holding {@code values} (their dtype; e.g. a saved search's alphas). Optimizers
     * built over the old {@link #architectureParameters()} no longer see it.
     */
    public void setAlpha(Tensor values) {
        if (!Arrays.equals(values.shape(), alpha.shape()))
            throw new IllegalArgumentException("SearchNetwork: alpha must have shape " + Arrays.toString(alpha.shape()) + ", got "
                    + Arrays.toString(values.shape()));
        alpha = values.detach().clone().requiresGrad(true);
    }

    public List<Tensor> architectureParameters() {
        return List.of(alpha);
    }

    /** Runs only {@code genotype}'s operations from now on ({@code null}: the full mixture again). */
    public void sample(Genotype genotype) {
        if (genotype != null && genotype.nodeCount() != shape.nodes())
            throw new IllegalArgumentException("SearchNetwork: genotype has " + genotype.nodeCount() + " nodes, the network's cells have " + shape.nodes());
        sampled = genotype;
    }

    /** The cell DARTS derives from the current {@code alpha}. */
    public Genotype derive() {
        return Derivation.derive(alpha, shape.nodes());
    }

    @Override
    protected Tensor cell(int index, Tensor s0, Tensor s1) {
        ModuleList edges = cells.get(index);
        Tensor weights = sampled == null ? alpha.softmax(1) : null;
        List<Tensor> states = new ArrayList<>(List.of(s0, s1));
        for (int j = 0; j < shape.nodes(); j++) {
            Tensor node = null;
            if (sampled == null) {
                for (int i = 0; i < j + 2; i++) {
                    MixedOperation edge = edges.get(NetworkShape.edgeIndex(j, i));
                    Tensor term = edge.forward(states.get(i), weights.select(0, NetworkShape.edgeIndex(j, i)));
                    node = node == null ? term : node.add(term);
                }
            } else {
                for (Genotype.Edge e : sampled.nodes().get(j)) {
                    MixedOperation edge = edges.get(NetworkShape.edgeIndex(j, e.input()));
                    Tensor term = edge.forward(states.get(e.input()), e.op());
                    node = node == null ? term : node.add(term);
                }
            }
            states.add(node);
        }
        return org.sinter.Tensor.cat(states.subList(2, states.size()), 1);
    }

    /** The network weights (every module parameter; {@code alpha} is not one). */
    public List<Tensor> weights() {
        return parameters();
    }
}
