package org.sinter.privacy.gradsample;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.sinter.Dispatch;
import org.sinter.GradMode;
import org.sinter.Node;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Linear;
import org.sinter.nn.Module;
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
 * consumes a supported layer's weight (the {@code conv2d} primitive for {@link Conv2d}, the
 * {@code bmm} of {@code x·Wᵀ} for {@link Linear}) it keeps that call's input and registers a
 * tensor hook on its output, which the backward pass hands the output gradient. A layer may
 * run several times in one forward; its per-sample gradients are summed, as its gradient is.
 *
 * <p>Every module with trainable parameters must be a supported layer; anything else is refused
 * when wrapping, with the layer's name, because its samples' gradients would be missing from the
 * clipping and the privacy guarantee would not hold. A supported layer's weight used by any other
 * primitive in the forward (weight tying) is refused for the same reason.
 */
public final class GradSampleModule extends Module {
    /** How the loss reduces over the batch: the per-sample gradients of a mean are rescaled by N. */
    public enum LossReduction { MEAN, SUM }

    private record Layer(String name, Module module, Tensor weight, Tensor bias) {
        String describe() {
            return "layer '" + name + "' (" + module.getClass().getSimpleName() + ")";
        }
    }

    private static final class Capture {
        final Layer layer;
        final Tensor input;
        final ConvGeometry geometry; // null for Linear
        Tensor gradOutput;

        Capture(Layer layer, Tensor input, ConvGeometry geometry) {
            this.layer = layer;
            this.input = input;
            this.geometry = geometry;
        }
    }

    private final Module module;
    private final LossReduction lossReduction;
    private final IdentityHashMap<Tensor, Layer> layersByWeight = new IdentityHashMap<>();
    private final List<Capture> captures = new ArrayList<>();
    private int batchSize = -1;
    private Map<Tensor, Tensor> gradSamples;

    @SuppressWarnings("this-escape") // registers the wrapped module in the constructor, as every Sinter module does
    public GradSampleModule(Module module, LossReduction lossReduction) {
        this.module = registerModule("_module", module);
        this.lossReduction = lossReduction;
        List<String> refused = new ArrayList<>();
        module.namedModules().forEach((name, m) -> {
            List<String> own = m.namedParameters().entrySet().stream()
                    .filter(e -> !e.getKey().contains(".") && e.getValue().requiresGrad()).map(Map.Entry::getKey).toList();
            if (own.isEmpty()) return;
            String shown = name.isEmpty() ? "<root>" : name;
            if (m.getClass() == Linear.class) {
                Linear l = (Linear) m;
                add(new Layer(shown, m, l.weight, l.bias), refused);
            } else if (m instanceof Conv2d c) {
                add(new Layer(shown, m, c.weight, c.bias), refused);
            } else {
                refused.add("layer '" + shown + "' (" + m.getClass().getSimpleName() + ") with trainable parameters " + own
                        + " has no per-sample gradient rule");
            }
        });
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("GradSampleModule: " + String.join("; ", refused)
                    + ". Supported layers: Linear, Conv2d; freeze other layers' parameters (requiresGrad(false)) or replace them");
        }
    }

    public GradSampleModule(Module module) {
        this(module, LossReduction.MEAN);
    }

    private void add(Layer layer, List<String> refused) {
        if (!layer.weight.requiresGrad()) {
            refused.add(layer.describe() + " has a frozen weight but a trainable bias, which per-sample gradients do not cover");
            return;
        }
        if (layersByWeight.containsKey(layer.weight)) {
            refused.add(layer.describe() + " shares its weight with " + layersByWeight.get(layer.weight).describe());
            return;
        }
        layersByWeight.put(layer.weight, layer);
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
        if (!GradMode.isEnabled()) return module.forward(input);
        try (var _ = Dispatch.listen(new CaptureListener(Dispatch.listener()))) {
            return module.forward(input);
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
            for (Capture c : captures) {
                if (c.gradOutput == null) continue; // this call did not reach the loss
                Tensor[] wb = c.geometry == null
                        ? PerSampleGradients.linear(c.input, c.gradOutput, batchSize)
                        : PerSampleGradients.conv2d(c.input, c.gradOutput, c.geometry);
                double scale = lossReduction == LossReduction.MEAN ? batchSize : 1;
                accumulate(out, c.layer.weight, wb[0], scale);
                if (c.layer.bias != null && c.layer.bias.requiresGrad()) accumulate(out, c.layer.bias, wb[1], scale);
            }
        }
        gradSamples = Collections.unmodifiableMap(out);
        return gradSamples;
    }

    private static void accumulate(Map<Tensor, Tensor> out, Tensor param, Tensor perSample, double scale) {
        Tensor g = scale == 1 ? perSample : perSample.mul(scale);
        out.merge(param, g, Tensor::add);
    }

    /** The trainable parameters the per-sample gradients cover, in the model's order. */
    public List<Tensor> coveredParameters() {
        return layersByWeight.values().stream()
                .flatMap(l -> l.bias != null && l.bias.requiresGrad() ? java.util.stream.Stream.of(l.weight, l.bias) : java.util.stream.Stream.of(l.weight))
                .collect(Collectors.toList());
    }

    private void capture(Layer layer, Tensor input, Tensor output, ConvGeometry geometry) {
        if (batchSize == 0) return; // an empty Poisson batch: no sample has a gradient
        if (geometry != null ? input.size(0) != batchSize : input.numel() % ((long) batchSize * input.size(-1)) != 0) {
            throw new IllegalStateException("GradSampleModule: " + layer.describe() + " got input " + input.describe()
                    + ", which does not keep the batch of " + batchSize + " samples in its first dimension");
        }
        if (!output.requiresGrad()) return;
        Capture c = new Capture(layer, input, geometry);
        captures.add(c);
        output.registerHook(g -> {
            c.gradOutput = g;
            return null;
        });
    }

    /** Watches the primitives of one forward pass for the supported layers' weights. */
    private final class CaptureListener implements Dispatch.OpListener {
        private final Dispatch.OpListener next;
        /** The weights and the tensors made from them by views or copies (Wᵀ for Linear), by identity. */
        private final IdentityHashMap<Tensor, Layer> derived = new IdentityHashMap<>(layersByWeight);

        CaptureListener(Dispatch.OpListener next) {
            this.next = next;
        }

        @Override
        public Object onEnter(Op op, Tensor[] inputs) {
            return next == null ? null : next.onEnter(op, inputs);
        }

        @Override
        public void onExit(Object token, Op op, Tensor[] inputs, Tensor[] outputs) {
            if (next != null) next.onExit(token, op, inputs, outputs);
            for (int i = 0; i < inputs.length; i++) {
                Layer layer = inputs[i] == null ? null : derived.get(inputs[i]);
                if (layer == null) continue;
                boolean isConv = layer.module instanceof Conv2d;
                if (isConv && op instanceof NnOps.Conv2d conv && i == 1 && inputs[1] == layer.weight) {
                    capture(layer, inputs[0], outputs[0], conv.g());
                } else if (!isConv && op instanceof LinalgOps.Bmm && i == 1) {
                    capture(layer, inputs[0], outputs[0], null);
                } else if (!isConv && (op.isView() || op instanceof ShapeOps.Clone)) {
                    derived.put(outputs[0], layer);
                } else {
                    throw new IllegalStateException("GradSampleModule: the weight of " + layer.describe() + " is used by the primitive '"
                            + op.name() + "' in the forward pass; per-sample gradients cover only the layer's own use of it");
                }
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
