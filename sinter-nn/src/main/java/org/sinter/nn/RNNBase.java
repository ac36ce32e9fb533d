package org.sinter.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.sinter.Tensor;

/**
 * The shared machinery of {@link RNN}, {@link LSTM} and {@link GRU}: stacked layers, optional
 * reverse direction, batch-first layout, initial states and dropout between layers.
 *
 * <p>Parameters use PyTorch's names, so state dicts load across: for layer k and each direction
 * (suffix "" or "_reverse") {@code weight_ih_lk} (G·H, in), {@code weight_hh_lk} (G·H, H),
 * {@code bias_ih_lk}, {@code bias_hh_lk} (G·H), with G gates stacked along the rows. All start
 * from U(±1/√H).
 *
 * <p>Shapes (L sequence, N batch, D = 2 if bidirectional else 1): input (L, N, in), or (N, L, in)
 * with batchFirst, or unbatched (L, in); states (layers·D, N, H) or unbatched (layers·D, H);
 * output (L, N, D·H) (batch-first: (N, L, D·H)). Row {@code layer·D + direction} of a state
 * belongs to that layer and direction.
 */
public abstract class RNNBase extends Module {
    public final int inputSize, hiddenSize, numLayers;
    public final boolean bias, batchFirst, bidirectional;
    public final double dropout;
    private final int gates;
    /** Per layer and direction: {w_ih, w_hh, b_ih, b_hh} (biases null without bias). */
    private final List<Tensor[]> weights = new ArrayList<>();

    /** Keyword options, PyTorch's defaults: one layer, bias, sequence-first, no dropout, one direction, tanh. */
    public static final class Options {
        int numLayers = 1;
        boolean bias = true, batchFirst = false, bidirectional = false;
        double dropout = 0;
        String nonlinearity = "tanh";

        public Options numLayers(int v) { numLayers = v; return this; }
        public Options bias(boolean v) { bias = v; return this; }
        public Options batchFirst(boolean v) { batchFirst = v; return this; }
        public Options bidirectional(boolean v) { bidirectional = v; return this; }
        /** Dropout probability on the outputs of every layer but the last (training only). */
        public Options dropout(double v) { dropout = v; return this; }
        /** "tanh" or "relu" (plain {@link RNN} only). */
        public Options nonlinearity(String v) { nonlinearity = v; return this; }
    }

    public static Options options() {
        return new Options();
    }

    /** The sequence output and final states; {@code cN} is null except for LSTM. */
    public record Result(Tensor output, Tensor hN, Tensor cN) {}

    @SuppressWarnings("this-escape") // registers its parameters with Module in the constructor, as PyTorch does
    protected RNNBase(String name, int gates, int inputSize, int hiddenSize, Options o) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(name + ": input_size and hidden_size must be positive, got " + inputSize + " and " + hiddenSize);
        }
        if (o.numLayers < 1) throw new IllegalArgumentException(name + ": num_layers must be at least 1, got " + o.numLayers);
        LayerArgs.probability(name, o.dropout);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = o.numLayers;
        this.bias = o.bias;
        this.batchFirst = o.batchFirst;
        this.bidirectional = o.bidirectional;
        this.dropout = o.dropout;
        this.gates = gates;
        int dirs = directions();
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                Tensor[] w = {
                    registerParameter("weight_ih" + sfx, Tensor.empty(gates * hiddenSize, in)),
                    registerParameter("weight_hh" + sfx, Tensor.empty(gates * hiddenSize, hiddenSize)),
                    registerParameter("bias_ih" + sfx, bias ? Tensor.empty(gates * hiddenSize) : null),
                    registerParameter("bias_hh" + sfx, bias ? Tensor.empty(gates * hiddenSize) : null),
                };
                for (Tensor t : w) if (t != null) Init.uniform_(t, -bound, bound);
                weights.add(w);
            }
        }
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    /** {weight_ih, weight_hh, bias_ih, bias_hh} of one layer and direction (biases null without bias). */
    public Tensor[] layerWeights(int layer, boolean reverse) {
        return weights.get(layer * directions() + (reverse ? 1 : 0)).clone();
    }

    /** Whether the cell carries a second state (LSTM's c). */
    protected boolean hasCellState() {
        return false;
    }

    /**
     * One time step for a batch from its two projections, {@code gi} of the input (N, G·H) and
     * {@code gh} of the hidden state (N, G·H), each with its bias; returns the new {h, c} (c null
     * for cells without one).
     */
    protected abstract Tensor[] cell(Tensor gi, Tensor gh, Tensor h, Tensor c);

    /** The layout of a stack of recurrent layers: everything a recurrence needs besides its products and its cell. */
    public record Stack(String name, int inputSize, int hiddenSize, int numLayers, boolean bidirectional, boolean batchFirst,
                        double dropout, boolean cellState) {
        public int directions() {
            return bidirectional ? 2 : 1;
        }
    }

    /**
     * Where a recurrence takes its two matrix products, per layer and direction ({@code index} is
     * {@code layer·D + direction}): this module's float weights, or a quantized copy's int8 kernels.
     */
    public interface Projections {
        /** The whole sequence's input projection, (L, N, in) to (L, N, G·H), bias included. */
        Tensor input(int index, Tensor x);

        /** One step's hidden projection, (N, H) to (N, G·H), bias included. */
        Tensor hidden(int index, Tensor h);
    }

    /** One step of a cell from its projections (see {@link #cell}). */
    public interface Cell {
        Tensor[] step(Tensor gi, Tensor gh, Tensor h, Tensor c);
    }

    public Stack stack() {
        return new Stack(getClass().getSimpleName(), inputSize, hiddenSize, numLayers, bidirectional, batchFirst, dropout, hasCellState());
    }

    /** Runs all layers and directions over the sequence. States may be null (zeros). */
    protected Result run(Tensor input, Tensor h0, Tensor c0) {
        Projections floats = new Projections() {
            @Override public Tensor input(int index, Tensor x) { return Linear.linear(x, weights.get(index)[0], weights.get(index)[2]); }
            @Override public Tensor hidden(int index, Tensor h) { return Linear.linear(h, weights.get(index)[1], weights.get(index)[3]); }
        };
        return run(stack(), input, h0, c0, training, floats, this::cell);
    }

    /**
     * The recurrence of a stack of layers: each layer's input projected for the whole sequence at
     * once, then step by step (backwards for the reverse direction) the hidden projection and the
     * cell; dropout between layers in training. States may be null (zeros).
     */
    public static Result run(Stack stack, Tensor input, Tensor h0, Tensor c0, boolean training, Projections projections, Cell cell) {
        String name = stack.name();
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(name + ": expected input to be 2-D (unbatched) or 3-D, got " + input.describe());
        }
        if (input.size(-1) != stack.inputSize()) {
            throw new IllegalArgumentException(name + ": input.size(-1) must be equal to input_size. Expected " + stack.inputSize() + ", got " + input.size(-1));
        }
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(1) : (stack.batchFirst() ? input.transpose(0, 1) : input);
        int seqLen = x.size(0), n = x.size(1), dirs = stack.directions();
        Tensor h = initialState(stack, "h0", h0, unbatched, n, x);
        Tensor c = stack.cellState() ? initialState(stack, "c0", c0, unbatched, n, x) : null;

        List<Tensor> hN = new ArrayList<>(), cN = new ArrayList<>();
        Tensor layerInput = x;
        for (int layer = 0; layer < stack.numLayers(); layer++) {
            List<Tensor> dirOutputs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                int row = layer * dirs + d;
                Tensor ht = h.select(0, row);
                Tensor ct = c == null ? null : c.select(0, row);
                // Project the whole sequence's inputs at once: (L, N, G·H).
                Tensor proj = projections.input(row, layerInput);
                List<Tensor> steps = new ArrayList<>(seqLen);
                for (int s = 0; s < seqLen; s++) {
                    int t = d == 0 ? s : seqLen - 1 - s;
                    Tensor[] next = cell.step(proj.select(0, t), projections.hidden(row, ht), ht, ct);
                    ht = next[0];
                    ct = next[1];
                    steps.add(ht);
                }
                if (d == 1) Collections.reverse(steps);
                dirOutputs.add(Tensor.stack(steps, 0));
                hN.add(ht);
                if (ct != null) cN.add(ct);
            }
            Tensor out = dirs == 1 ? dirOutputs.get(0) : Tensor.cat(dirOutputs, 2);
            if (layer < stack.numLayers() - 1) out = org.sinter.nn.functional.F.dropout(out, stack.dropout(), training);
            layerInput = out;
        }
        Tensor output = layerInput;
        Tensor hOut = Tensor.stack(hN, 0), cOut = cN.isEmpty() ? null : Tensor.stack(cN, 0);
        if (unbatched) {
            output = output.squeeze(1);
            hOut = hOut.squeeze(1);
            if (cOut != null) cOut = cOut.squeeze(1);
        } else if (stack.batchFirst()) {
            output = output.transpose(0, 1);
        }
        return new Result(output, hOut, cOut);
    }

    private static Tensor initialState(Stack stack, String what, Tensor s, boolean unbatched, int n, Tensor x) {
        int rows = stack.numLayers() * stack.directions();
        int hiddenSize = stack.hiddenSize();
        if (s == null) return Tensor.zeros(x.dtype(), rows, n, hiddenSize);
        boolean ok = unbatched ? s.dim() == 2 && s.size(0) == rows && s.size(1) == hiddenSize
                : s.dim() == 3 && s.size(0) == rows && s.size(1) == n && s.size(2) == hiddenSize;
        if (!ok) {
            throw new IllegalArgumentException(stack.name() + ": expected " + what + " of shape "
                    + (unbatched ? "(" + rows + ", " + hiddenSize + ")" : "(" + rows + ", " + n + ", " + hiddenSize + ")") + ", got " + s.describe());
        }
        return unbatched ? s.unsqueeze(1) : s;
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(inputSize + ", " + hiddenSize);
        if (numLayers != 1) s.append(", num_layers=").append(numLayers);
        if (!bias) s.append(", bias=False");
        if (batchFirst) s.append(", batch_first=True");
        if (dropout != 0) s.append(", dropout=").append(PyRepr.pyFloat(dropout));
        if (bidirectional) s.append(", bidirectional=True");
        return s.toString();
    }
}
