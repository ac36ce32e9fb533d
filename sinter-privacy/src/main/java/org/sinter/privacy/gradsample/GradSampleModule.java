package org.sinter.privacy.gradsample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Dispatch;
import org.sinter.GradMode;
import org.sinter.Node;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.BinaryFn;
import org.sinter.nn.BatchNorm;
import org.sinter.nn.Bilinear;
import org.sinter.nn.Conv1d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.ConvTranspose2d;
import org.sinter.nn.Embedding;
import org.sinter.nn.GRUCell;
import org.sinter.nn.LSTMCell;
import org.sinter.nn.MultiheadAttention;
import org.sinter.nn.RNNBase;
import org.sinter.nn.RNNCell;
import org.sinter.nn.TransformerDecoderLayer;
import org.sinter.nn.TransformerEncoderLayer;
import org.sinter.nn.GroupNorm;
import org.sinter.nn.LayerNorm;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
import org.sinter.ops.BinaryOps;
import org.sinter.ops.LinalgOps;
import org.sinter.ops.NnOps;
import org.sinter.ops.Op;
import org.sinter.ops.ShapeOps;

/**
 * Wraps a model so that one forward and backward pass also yields every sample's gradient of
 * every trainable parameter (Opacus' {@code GradSampleModule}), computed vectorised from each
 * layer's input and output gradient ({@link PerSampleGradients}).
 *
 * <p>Sinter modules are called by their {@code forward} methods directly (there is no
 * {@code __call__} to hang module hooks on), so the capture works one level down: during the
 * wrapped forward a {@link Dispatch.OpListener} watches the primitives, and when a primitive
 * consumes a supported layer's parameter it keeps that call's input and registers a tensor hook
 * on its output, which the backward pass hands the output gradient:
 * <ul>
 *   <li>{@link Linear}: the {@code bmm} of {@code x·Wᵀ} (bias from the same output gradient);</li>
 *   <li>{@link Conv2d}: the {@code conv2d} primitive (bias likewise);</li>
 *   <li>{@link Conv1d}: the same primitive, which it calls with its weight unsqueezed to height 1;</li>
 *   <li>{@link ConvTranspose2d}: the {@code conv_transpose2d} primitive (bias likewise);</li>
 *   <li>{@link Embedding}: the {@code embedding} primitive;</li>
 *   <li>{@link Bilinear}: the {@code bmm} of {@code x1·A'} (A permuted and flattened), whose output
 *       gradient already holds the outer product with x2; the bias by its {@code add};</li>
 *   <li>{@link LayerNorm}, {@link GroupNorm}, and {@link BatchNorm} in eval mode: the {@code mul} by
 *       the weight and the {@code add} of the bias (after GroupNorm's and BatchNorm's reshape of
 *       them). A BatchNorm that normalises by the batch's statistics (training mode, or no running
 *       statistics) is refused at forward time, trainable or frozen: it mixes the samples.</li>
 * </ul>
 * Views and copies of a parameter are followed by identity. A layer may run several times in one
 * forward; its per-sample gradients are summed, as its gradient is.
 *
 * <p>Every module with trainable parameters must be a supported layer; anything else is refused
 * when wrapping, with the layer's name, because its samples' gradients would be missing from the
 * clipping and the privacy guarantee would not hold. A supported layer's weight used by any other
 * primitive in the forward (weight tying) is refused for the same reason.
 */
public final class GradSampleModule extends Module {
    /** How the loss reduces over the batch: the per-sample gradients of a mean are rescaled by N. */
    public enum LossReduction { MEAN, SUM }

    /** How a parameter's per-sample gradient follows from the primitive that consumes it. */
    private enum Rule {
        LINEAR, CONV2D, CONV1D, CONV_TRANSPOSE2D, EMBEDDING, SCALE, SHIFT,
        /** {@code x·Wᵀ} on time-major inputs (recurrent layers and cells, attention), W possibly a block of rows of the parameter. */
        SEQ_LINEAR,
        /** A bias (or a block of one) added to time-major outputs: attention's {@code in_proj_bias}. */
        SEQ_BIAS,
        /** Bilinear's weight, used as {@code x1·A'} with {@code A'} its permuted, flattened copy. */
        BILINEAR,
        /** A bias added to batch-major rows {@code [N·T, out]} (Bilinear's). */
        ROW_BIAS
    }

    private record Layer(String name, Module module, Tensor weight, Tensor bias) {
        String describe() {
            return "layer '" + name + "' (" + module.getClass().getSimpleName() + ")";
        }
    }

    /** A tracked parameter: for LINEAR and CONV2D the weight stands for the layer (bias included). */
    private record Param(Layer layer, Tensor tensor, Rule rule) {}

    /** A parameter or a tensor made from it by views or copies, and which block of its rows it stands for (SEQ rules). */
    private record Use(Param param, int offset) {}

    private static final class Capture {
        final Param param;
        final int offset;           // SEQ rules: the first row of the parameter the call used
        final Tensor input;         // x, the conv input, the indices, the scaled tensor; null for SHIFT
        final ConvGeometry geometry;
        final int paddingIdx;
        final int[] usedShape;      // SCALE/SHIFT: the parameter's shape where it was used
        Tensor gradOutput;

        Capture(Param param, Tensor input, ConvGeometry geometry, int paddingIdx, int[] usedShape, int offset) {
            this.param = param;
            this.offset = offset;
            this.input = input;
            this.geometry = geometry;
            this.paddingIdx = paddingIdx;
            this.usedShape = usedShape;
        }
    }

    private final Module module;
    private final LossReduction lossReduction;
    private final IdentityHashMap<Tensor, Param> tracked = new IdentityHashMap<>();
    private final List<Capture> captures = new ArrayList<>();
    /** Every BatchNorm in the model, trainable or not: each forward checks that none uses batch statistics. */
    private final Map<String, BatchNorm> batchNorms = new java.util.LinkedHashMap<>();
    private int batchSize = -1;
    private Map<Tensor, Tensor> gradSamples;

    @SuppressWarnings("this-escape") // registers the wrapped module in the constructor, as every Sinter module does
    public GradSampleModule(Module module, LossReduction lossReduction) {
        this.module = registerModule("_module", module);
        this.lossReduction = lossReduction;
        List<String> refused = new ArrayList<>();
        // Attention's output projection is a Linear whose rows are time-major, not batch-major.
        java.util.Set<Module> timeMajorLinears = Collections.newSetFromMap(new IdentityHashMap<>());
        module.namedModules().forEach((name, m) -> {
            if (m instanceof MultiheadAttention a) timeMajorLinears.add(a.outProj);
            boolean seqFirstTransformer = (m instanceof TransformerEncoderLayer e && !e.selfAttn.batchFirst)
                    || (m instanceof TransformerDecoderLayer d && !d.selfAttn.batchFirst);
            if (seqFirstTransformer) {
                refused.add("layer '" + (name.isEmpty() ? "<root>" : name) + "' (" + m.getClass().getSimpleName()
                        + ") is sequence-first, so its Linear and LayerNorm layers do not keep the batch first; build it with batchFirst(true)");
            }
        });
        module.namedModules().forEach((name, m) -> {
            if (m instanceof BatchNorm bn) batchNorms.put(name.isEmpty() ? "<root>" : name, bn);
        });
        module.namedModules().forEach((name, m) -> {
            List<String> own = m.namedParameters().entrySet().stream()
                    .filter(e -> !e.getKey().contains(".") && e.getValue().requiresGrad()).map(Map.Entry::getKey).toList();
            if (own.isEmpty()) return;
            String shown = name.isEmpty() ? "<root>" : name;
            if (m.getClass() == Linear.class) {
                Linear l = (Linear) m;
                addWithBias(new Layer(shown, m, l.weight, l.bias), timeMajorLinears.contains(m) ? Rule.SEQ_LINEAR : Rule.LINEAR, refused);
            } else if (m instanceof RNNBase r) {
                for (int layer = 0; layer < r.numLayers; layer++) {
                    for (int d = 0; d < r.directions(); d++) {
                        Tensor[] w = r.layerWeights(layer, d == 1);
                        String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                        addWithBias(new Layer(shown + ".weight_ih" + sfx, m, w[0], w[2]), Rule.SEQ_LINEAR, refused);
                        addWithBias(new Layer(shown + ".weight_hh" + sfx, m, w[1], w[3]), Rule.SEQ_LINEAR, refused);
                    }
                }
            } else if (m instanceof RNNCell || m instanceof LSTMCell || m instanceof GRUCell) {
                Tensor[] w = switch (m) {
                    case RNNCell c -> new Tensor[] {c.weightIh, c.biasIh, c.weightHh, c.biasHh};
                    case LSTMCell c -> new Tensor[] {c.weightIh, c.biasIh, c.weightHh, c.biasHh};
                    case GRUCell c -> new Tensor[] {c.weightIh, c.biasIh, c.weightHh, c.biasHh};
                    default -> throw new AssertionError(m);
                };
                addWithBias(new Layer(shown + ".weight_ih", m, w[0], w[1]), Rule.SEQ_LINEAR, refused);
                addWithBias(new Layer(shown + ".weight_hh", m, w[2], w[3]), Rule.SEQ_LINEAR, refused);
            } else if (m instanceof MultiheadAttention a) {
                for (Tensor w : new Tensor[] {a.inProjWeight, a.qProjWeight, a.kProjWeight, a.vProjWeight}) {
                    if (w != null && w.requiresGrad()) add(new Param(new Layer(shown, m, w, null), w, Rule.SEQ_LINEAR), refused);
                }
                if (a.inProjBias != null && a.inProjBias.requiresGrad()) {
                    add(new Param(new Layer(shown, m, a.inProjBias, null), a.inProjBias, Rule.SEQ_BIAS), refused);
                }
            } else if (m instanceof Conv2d c) {
                addWithBias(new Layer(shown, m, c.weight, c.bias), Rule.CONV2D, refused);
            } else if (m instanceof Conv1d c) {
                addWithBias(new Layer(shown, m, c.weight, c.bias), Rule.CONV1D, refused);
            } else if (m instanceof ConvTranspose2d c) {
                addWithBias(new Layer(shown, m, c.weight, c.bias), Rule.CONV_TRANSPOSE2D, refused);
            } else if (m instanceof Embedding e) {
                add(new Param(new Layer(shown, m, e.weight, null), e.weight, Rule.EMBEDDING), refused);
            } else if (m instanceof Bilinear b) {
                // Weight and bias are captured at different primitives, so either may be frozen alone.
                Layer layer = new Layer(shown, m, b.weight, b.bias);
                if (b.weight.requiresGrad()) add(new Param(layer, b.weight, Rule.BILINEAR), refused);
                if (b.bias != null && b.bias.requiresGrad()) add(new Param(layer, b.bias, Rule.ROW_BIAS), refused);
            } else if (m instanceof LayerNorm || m instanceof GroupNorm || m instanceof BatchNorm) {
                Tensor[] wb = switch (m) {
                    case LayerNorm ln -> new Tensor[] {ln.weight, ln.bias};
                    case GroupNorm gn -> new Tensor[] {gn.weight, gn.bias};
                    case BatchNorm bn -> new Tensor[] {bn.weight, bn.bias};
                    default -> throw new AssertionError(m);
                };
                Tensor w = wb[0], b = wb[1];
                Layer layer = new Layer(shown, m, w, b);
                if (w != null && w.requiresGrad()) add(new Param(layer, w, Rule.SCALE), refused);
                if (b != null && b.requiresGrad()) add(new Param(layer, b, Rule.SHIFT), refused);
            } else {
                refused.add("layer '" + shown + "' (" + m.getClass().getSimpleName() + ") with trainable parameters " + own
                        + " has no per-sample gradient rule");
            }
        });
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("GradSampleModule: " + String.join("; ", refused)
                    + ". Supported layers: Linear, Bilinear, Conv2d, Conv1d, ConvTranspose2d, Embedding, LayerNorm, GroupNorm,"
                    + " BatchNorm1d/2d in eval mode, RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, MultiheadAttention; freeze other layers' parameters (requiresGrad(false)) or replace them");
        }
    }

    public GradSampleModule(Module module) {
        this(module, LossReduction.MEAN);
    }

    private void addWithBias(Layer layer, Rule rule, List<String> refused) {
        if (!layer.weight.requiresGrad()) {
            refused.add(layer.describe() + " has a frozen weight but a trainable bias, which per-sample gradients do not cover");
            return;
        }
        add(new Param(layer, layer.weight, rule), refused);
    }

    private void add(Param p, List<String> refused) {
        Param before = tracked.get(p.tensor);
        if (before != null) {
            refused.add(p.layer.describe() + " shares a parameter with " + before.layer.describe());
            return;
        }
        tracked.put(p.tensor, p);
    }

    public Module module() {
        return module;
    }

    public LossReduction lossReduction() {
        return lossReduction;
    }

    /** Runs the wrapped model on a batch (first dimension = samples), capturing what per-sample gradients need. */
    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() == 0) throw new IllegalArgumentException("GradSampleModule: expected a batched input, got a scalar");
        captures.clear();
        gradSamples = null;
        batchSize = input.size(0);
        refuseBatchStatistics();
        if (!GradMode.isEnabled()) return module.forward(input);
        try (var _ = Dispatch.listen(new CaptureListener(Dispatch.listener()))) {
            return module.forward(input);
        }
    }

    /**
     * A BatchNorm normalising by the batch's own statistics makes every sample's output depend on
     * the others, so no sample's gradient exists on its own to clip (and a frozen one still mixes
     * the samples for the layers around it). With running statistics (eval mode) it is a
     * per-channel affine map and its parameters take the norm layers' rule.
     */
    private void refuseBatchStatistics() {
        List<String> mixing = new ArrayList<>();
        batchNorms.forEach((name, bn) -> {
            if (bn.isTraining() || bn.runningMean == null) mixing.add("'" + name + "' (" + bn.getClass().getSimpleName() + ")");
        });
        if (!mixing.isEmpty()) {
            throw new IllegalStateException("GradSampleModule: BatchNorm layer(s) " + String.join(", ", mixing)
                    + " normalise by the batch's statistics (training mode, or no running statistics), which mixes the samples,"
                    + " so no sample's gradient can be clipped alone; call eval() on them to normalise by their running statistics,"
                    + " or replace them with GroupNorm");
        }
    }

    /** Samples in the last forward's batch. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Per-sample gradients of the last forward and backward: parameter → {@code [N, *param shape]},
     * for every trainable parameter of a supported layer that the loss reached. Computed on first
     * call after a backward pass.
     */
    public Map<Tensor, Tensor> gradSamples() {
        if (gradSamples != null) return gradSamples;
        if (batchSize < 0) throw new IllegalStateException("GradSampleModule: gradSamples() before any forward pass");
        IdentityHashMap<Tensor, Tensor> out = new IdentityHashMap<>();
        try (var _ = Sinter.noGrad()) {
            double scale = lossReduction == LossReduction.MEAN ? batchSize : 1;
            // Time-major uses of one block of one parameter (a hidden weight's every step) go into one batched product.
            Map<Param, Map<Integer, List<Capture>>> sequences = new java.util.LinkedHashMap<>();
            for (Capture c : captures) {
                if (c.gradOutput == null) continue; // this call did not reach the loss
                Param p = c.param;
                switch (p.rule) {
                    case SEQ_LINEAR -> sequences.computeIfAbsent(p, k -> new java.util.TreeMap<>())
                            .computeIfAbsent(c.offset, k -> new ArrayList<>()).add(c);
                    case SEQ_BIAS -> accumulate(out, p.tensor, PerSampleGradients.placeRows(
                            PerSampleGradients.timeMajorBias(c.gradOutput, batchSize, c.usedShape[0]), c.offset, p.tensor.size(0)), scale);
                    case LINEAR, CONV2D, CONV1D -> {
                        Tensor[] wb = p.rule == Rule.LINEAR
                                ? PerSampleGradients.linear(c.input, c.gradOutput, batchSize)
                                : PerSampleGradients.conv2d(c.input, c.gradOutput, c.geometry);
                        // Conv1d runs as a conv2d of height 1: drop that dimension from the weight's gradients.
                        if (p.rule == Rule.CONV1D) wb[0] = wb[0].reshape(withBatch(p.layer.weight.shape()));
                        accumulate(out, p.layer.weight, wb[0], scale);
                        if (p.layer.bias != null && p.layer.bias.requiresGrad()) accumulate(out, p.layer.bias, wb[1], scale);
                    }
                    case CONV_TRANSPOSE2D -> {
                        Tensor[] wb = PerSampleGradients.convTranspose2d(c.input, c.gradOutput, c.geometry);
                        accumulate(out, p.layer.weight, wb[0], scale);
                        if (p.layer.bias != null && p.layer.bias.requiresGrad()) accumulate(out, p.layer.bias, wb[1], scale);
                    }
                    case BILINEAR -> accumulate(out, p.tensor,
                            PerSampleGradients.bilinear(c.input, c.gradOutput, batchSize, p.tensor.shape()), scale);
                    case ROW_BIAS -> accumulate(out, p.tensor,
                            PerSampleGradients.rowBias(c.gradOutput, batchSize, p.tensor.size(0)), scale);
                    case EMBEDDING -> accumulate(out, p.tensor,
                            PerSampleGradients.embedding(c.input, c.gradOutput, p.tensor.size(0), c.paddingIdx), scale);
                    case SCALE, SHIFT -> accumulate(out, p.tensor, PerSampleGradients.broadcastParameter(
                            p.rule == Rule.SCALE ? c.gradOutput.mul(c.input) : c.gradOutput, c.usedShape, p.tensor.shape(),
                            "a parameter of " + p.layer.describe()), scale);
                }
            }
            sequences.forEach((p, blocks) -> blocks.forEach((offset, calls) -> {
                Tensor[] wb = PerSampleGradients.timeMajorLinear(calls.stream().map(c -> c.input).toList(),
                        calls.stream().map(c -> c.gradOutput).toList(), batchSize);
                accumulate(out, p.layer.weight, PerSampleGradients.placeRows(wb[0], offset, p.layer.weight.size(0)), scale);
                if (p.layer.bias != null && p.layer.bias.requiresGrad()) {
                    accumulate(out, p.layer.bias, PerSampleGradients.placeRows(wb[1], offset, p.layer.bias.size(0)), scale);
                }
            }));
        }
        gradSamples = Collections.unmodifiableMap(out);
        return gradSamples;
    }

    private int[] withBatch(int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = batchSize;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private static void accumulate(Map<Tensor, Tensor> out, Tensor param, Tensor perSample, double scale) {
        Tensor g = scale == 1 ? perSample : perSample.mul(scale);
        out.merge(param, g, Tensor::add);
    }

    /** The trainable parameters the per-sample gradients cover, in the model's order. */
    public List<Tensor> coveredParameters() {
        List<Tensor> out = new ArrayList<>();
        for (Param p : tracked.values()) {
            out.add(p.tensor);
            boolean layerBias = p.rule == Rule.LINEAR || p.rule == Rule.CONV2D || p.rule == Rule.CONV1D || p.rule == Rule.CONV_TRANSPOSE2D
                    || p.rule == Rule.SEQ_LINEAR;
            if (layerBias && p.layer.bias != null && p.layer.bias.requiresGrad()) out.add(p.layer.bias);
        }
        return out;
    }

    private void capture(Param param, Tensor input, Tensor output, ConvGeometry geometry, int paddingIdx, int[] usedShape, int offset) {
        if (batchSize == 0) return; // an empty Poisson batch: no sample has a gradient
        boolean batchFirst = switch (param.rule) {
            case LINEAR, SEQ_LINEAR, BILINEAR -> input.numel() % ((long) batchSize * input.size(-1)) == 0;
            case SEQ_BIAS, ROW_BIAS -> output.numel() % ((long) batchSize * usedShape[0]) == 0;
            case CONV2D, CONV1D, CONV_TRANSPOSE2D, EMBEDDING, SCALE -> input.dim() > 0 && input.size(0) == batchSize;
            case SHIFT -> output.dim() > 0 && output.size(0) == batchSize;
        };
        if (!batchFirst) {
            throw new IllegalStateException("GradSampleModule: " + param.layer.describe() + " got input "
                    + (input == null ? output : input).describe() + ", which does not keep the batch of " + batchSize
                    + " samples in its first dimension");
        }
        if (!output.requiresGrad()) return;
        Capture c = new Capture(param, input, geometry, paddingIdx, usedShape, offset);
        captures.add(c);
        output.registerHook(g -> {
            c.gradOutput = g;
            return null;
        });
    }

    /** Watches the primitives of one forward pass for the supported layers' weights. */
    private final class CaptureListener implements Dispatch.OpListener {
        private final Dispatch.OpListener next;
        /** The parameters and the tensors made from them by views or copies (Wᵀ for Linear), by identity. */
        private final IdentityHashMap<Tensor, Use> derived = new IdentityHashMap<>();

        CaptureListener(Dispatch.OpListener next) {
            this.next = next;
            tracked.forEach((t, p) -> derived.put(t, new Use(p, 0)));
        }

        @Override
        public Object onEnter(Op op, Tensor[] inputs) {
            return next == null ? null : next.onEnter(op, inputs);
        }

        @Override
        public void onExit(Object token, Op op, Tensor[] inputs, Tensor[] outputs) {
            if (next != null) next.onExit(token, op, inputs, outputs);
            for (int i = 0; i < inputs.length; i++) {
                Use use = inputs[i] == null ? null : derived.get(inputs[i]);
                if (use == null) continue;
                Param p = use.param;
                boolean direct = inputs[i] == p.tensor;
                switch (p.rule) {
                    case CONV2D -> {
                        if (op instanceof NnOps.Conv2d conv && i == 1 && direct) {
                            capture(p, inputs[0], outputs[0], conv.g(), 0, null, 0);
                            continue;
                        }
                    }
                    case CONV_TRANSPOSE2D -> {
                        if (op instanceof NnOps.ConvTranspose2d conv && i == 1 && direct) {
                            capture(p, inputs[0], outputs[0], conv.g(), 0, null, 0);
                            continue;
                        }
                    }
                    case CONV1D -> {
                        // The weight arrives unsqueezed to [out, in, 1, k] (followed below as a view).
                        if (op instanceof NnOps.Conv2d conv && i == 1 && !direct) {
                            capture(p, inputs[0], outputs[0], conv.g(), 0, null, 0);
                            continue;
                        }
                    }
                    case LINEAR -> {
                        if (op instanceof LinalgOps.Bmm && i == 1) {
                            capture(p, inputs[0], outputs[0], null, 0, null, 0);
                            continue;
                        }
                    }
                    case BILINEAR -> {
                        // inputs[1] is A' = A.permute(1, 0, 2) flattened, [1, in1, out·in2] (Bilinear.forward).
                        if (op instanceof LinalgOps.Bmm && i == 1) {
                            int[] a = p.tensor.shape();
                            if (inputs[1].dim() != 3 || inputs[1].size(0) != 1 || inputs[1].size(1) != a[1] || inputs[1].size(2) != a[0] * a[2]) {
                                throw new IllegalStateException("GradSampleModule: the weight of " + p.layer.describe() + " reaches a bmm as "
                                        + inputs[1].describe() + ", not as Bilinear.forward's [1, in1, out*in2] product; per-sample gradients"
                                        + " cover only the layer's own forward");
                            }
                            capture(p, inputs[0], outputs[0], null, 0, null, 0);
                            continue;
                        }
                    }
                    case ROW_BIAS -> {
                        if (op instanceof BinaryOps.Binary b && b.fn() == BinaryFn.ADD && inputs.length == 2 && direct) {
                            capture(p, null, outputs[0], null, 0, inputs[i].shape(), 0);
                            continue;
                        }
                    }
                    case EMBEDDING -> {
                        if (op instanceof NnOps.Embedding e && i == 0 && direct) {
                            capture(p, inputs[1], outputs[0], null, e.pad(), null, 0);
                            continue;
                        }
                    }
                    case SCALE, SHIFT -> {
                        BinaryFn fn = p.rule == Rule.SCALE ? BinaryFn.MUL : BinaryFn.ADD;
                        if (op instanceof BinaryOps.Binary b && b.fn() == fn && inputs.length == 2) {
                            capture(p, p.rule == Rule.SCALE ? inputs[1 - i] : null, outputs[0], null, 0, inputs[i].shape(), 0);
                            continue;
                        }
                    }
                    case SEQ_LINEAR -> {
                        // inputs[1] is Wᵀ (or a block of its columns), [B, in, rows].
                        if (op instanceof LinalgOps.Bmm && i == 1) {
                            checkBlock(p, use.offset, inputs[1].size(-1));
                            capture(p, inputs[0], outputs[0], null, 0, null, use.offset);
                            continue;
                        }
                    }
                    case SEQ_BIAS -> {
                        if (op instanceof BinaryOps.Binary b && b.fn() == BinaryFn.ADD && inputs.length == 2 && inputs[i].dim() == 1) {
                            checkBlock(p, use.offset, inputs[i].size(0));
                            capture(p, null, outputs[0], null, 0, inputs[i].shape(), use.offset);
                            continue;
                        }
                    }
                }
                if (p.rule != Rule.CONV2D && p.rule != Rule.CONV_TRANSPOSE2D && p.rule != Rule.EMBEDDING && (op.isView() || op instanceof ShapeOps.Clone)) {
                    derived.put(outputs[0], new Use(p, use.offset + rowShift(p, op, inputs[i], outputs[0])));
                    continue;
                }
                throw new IllegalStateException("GradSampleModule: a parameter of " + p.layer.describe() + " is used by the primitive '"
                        + op.name() + "' in the forward pass; per-sample gradients cover only the layer's own use of it");
            }
        }

        /**
         * How many rows of the parameter a view moves the start by (chunking attention's
         * {@code in_proj_weight} into Q, K, V): the storage offset it adds over the parameter's row
         * stride. Only the SEQ rules use blocks; a view that starts inside a row is refused.
         */
        private int rowShift(Param p, Op op, Tensor in, Tensor out) {
            if (!op.isView() || (p.rule != Rule.SEQ_LINEAR && p.rule != Rule.SEQ_BIAS)) return 0;
            long diff = (long) out.storageOffset() - in.storageOffset();
            if (diff == 0) return 0;
            long rowStride = p.tensor.dim() == 1 ? 1 : p.tensor.stride()[0];
            if (diff % rowStride != 0) {
                throw new IllegalStateException("GradSampleModule: a parameter of " + p.layer.describe() + " is used from inside a row by the view '"
                        + op.name() + "'; per-sample gradients cover blocks of whole rows only");
            }
            return (int) (diff / rowStride);
        }

        private void checkBlock(Param p, int offset, int rows) {
            if (offset < 0 || offset + rows > p.tensor.size(0)) {
                throw new IllegalStateException("GradSampleModule: a parameter of " + p.layer.describe() + " is used as rows [" + offset + ", "
                        + (offset + rows) + ") of its " + p.tensor.size(0) + "; per-sample gradients cover blocks of its rows only");
            }
        }

        @Override
        public Object onBackwardEnter(Node node) {
            return next == null ? null : next.onBackwardEnter(node);
        }

        @Override
        public void onBackwardExit(Object token, Node node) {
            if (next != null) next.onBackwardExit(token, node);
        }
    }
}
