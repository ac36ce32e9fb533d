package org.sinter.automl.nas;

import org.sinter.Tensor;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ModuleList;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.nn.functional.F;

/**
 * The fixed skeleton around the searched cell, shared by the search network and the derived one so that both see the same
 * macro architecture: a stem (3x3 convolution, batch norm, 2x2 max pool: 28x28 becomes 14x14), {@code cells} cells each
 * taking the outputs of the two cells before it (DARTS' {@code s0, s1}), a 2x2 max pool of both inputs and doubled
 * channels before the second half of the cells (14x14 becomes 7x7) (a fixed reduction, as NAS-Bench-201 has, instead of a searched one),
 * global average pooling and a linear classifier.
 *
 * <p>Each cell first maps its two inputs to its channel count with ReLU, 1x1 convolution, batch norm (DARTS'
 * {@code ReLUConvBN}); its output concatenates its intermediate nodes, {@code nodes x channels} channels.
 */
public abstract class CellStack extends Module {
    /** The image side the stem expects (Fashion-MNIST / MNIST). */
    public static final int IMAGE_SIDE = 28;

    protected final NetworkShape shape;
    private final Sequential stem;
    private final ModuleList preprocess0 = registerModule("preprocess0", new ModuleList());
    private final ModuleList preprocess1 = registerModule("preprocess1", new ModuleList());
    private final Linear classifier;

    /** Size of the skeleton: base channels, number of cells, intermediate nodes per cell, classes. */
    public record NetworkShape(int channels, int cells, int nodes, int classes) {
        public NetworkShape {
            if (channels < 1 || cells < 1 || nodes < 1 || classes < 2)
                throw new IllegalArgumentException("network shape: channels, cells and nodes must be >= 1 and classes >= 2, got channels "
                        + channels + ", cells " + cells + ", nodes " + nodes + ", classes " + classes);
        }

        /** The index of the first cell after the fixed reduction: the second half of the cells work at 7x7. */
        public int reductionIndex() {
            return cells / 2;
        }

        public int cellChannels(int cell) {
            return cell >= reductionIndex() ? 2 * channels : channels;
        }

        public int stemChannels() {
            return 2 * channels;
        }

        /** Edges of a cell's DAG: node j (from 0) has j + 2 predecessors. */
        public int edges() {
            return edges(nodes);
        }

        public static int edges(int nodes) {
            return nodes * (nodes + 3) / 2;
        }

        /** The index of edge {@code input -> node} among a cell's edges, DARTS' order (node by node, inputs in order). */
        public static int edgeIndex(int node, int input) {
            return node * (node + 3) / 2 + input;
        }
    }

    @SuppressWarnings("this-escape") // registers its submodules in the constructor, as PyTorch modules do
    protected CellStack(NetworkShape shape) {
        this.shape = shape;
        stem = registerModule("stem", new Sequential(new Conv2d(1, shape.stemChannels(), 3, 1, 1),
                new BatchNorm2d(shape.stemChannels()), new MaxPool2d(2)));
        int previous = shape.stemChannels(), current = shape.stemChannels();
        for (int i = 0; i < shape.cells(); i++) {
            int c = shape.cellChannels(i);
            preprocess0.add(reluConvBn(previous, c));
            preprocess1.add(reluConvBn(current, c));
            previous = current;
            current = shape.nodes() * c;
        }
        classifier = registerModule("classifier", new Linear(current, shape.classes()));
    }

    private static Module reluConvBn(int in, int out) {
        return new Sequential(new ReLU(), new Conv2d(in, out, new int[] {1}, new int[] {1}, new int[] {0}, new int[] {1}, 1, false, "zeros"),
                new BatchNorm2d(out));
    }

    public NetworkShape shape() {
        return shape;
    }

    /** Cell {@code index}'s output from its two preprocessed inputs, {@code [N, nodes * channels, H, W]}. */
    protected abstract Tensor cell(int index, Tensor s0, Tensor s1);

    @Override
    public Tensor forward(Tensor images) {
        if (images.dim() != 4 || images.size(1) != 1 || images.size(2) != IMAGE_SIDE || images.size(3) != IMAGE_SIDE)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected images [N, 1, 28, 28], got "
                    + java.util.Arrays.toString(images.shape()));
        Tensor s0 = stem.forward(images), s1 = s0;
        for (int i = 0; i < shape.cells(); i++) {
            if (i == shape.reductionIndex()) {
                s0 = F.maxPool2d(s0, 2);
                s1 = F.maxPool2d(s1, 2);
            }
            Tensor out = cell(i, preprocess0.<Module>get(i).forward(s0), preprocess1.<Module>get(i).forward(s1));
            s0 = s1;
            s1 = out;
        }
        return classifier.forward(s1.mean(new int[] {2, 3}, false));
    }
}
