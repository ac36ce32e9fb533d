package org.sinter.onnx.ops;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ONNX operators Sinter implements (default domain), each with the attributes its kernel reads:
 * a node with an operator or attribute not listed here is refused when the model loads.
 */
public final class OpRegistry {
    /** One operator: its kernel and the attributes it understands. */
    public record OpDef(String opType, Set<String> attributes, Kernel kernel) {}

    private final Map<String, OpDef> ops = new TreeMap<>();

    private static final OpRegistry STANDARD = build();

    public static OpRegistry standard() {
        return STANDARD;
    }

    private static OpRegistry build() {
        OpRegistry r = new OpRegistry();
        ElementwiseKernels.register(r);
        NeuralKernels.register(r);
        ShapeKernels.register(r);
        ReduceKernels.register(r);
        QuantKernels.register(r);
        LossKernels.register(r);
        ResizeKernels.register(r);
        RecurrentKernels.register(r);
        WindowKernels.register(r);
        SelectionKernels.register(r);
        EinsumKernel.register(r);
        TopKKernel.register(r);
        SpectralKernels.register(r);
        DataDependentKernels.register(r);
        TrainingKernels.register(r);
        DetKernel.register(r);
        UnpoolKernel.register(r);
        TfIdfKernel.register(r);
        GridSampleKernel.register(r);
        RoiAlignKernel.register(r);
        RandomKernels.register(r);
        org.sinter.onnx.ControlFlowKernels.register(r);
        org.sinter.onnx.ValueGraph.register(r);
        org.sinter.onnx.GradientOp.register(r);
        return r;
    }

    /** Registers an operator (public for the control-flow kernels, which live beside the graph runner). */
    public void add(String opType, Kernel kernel, String... attributes) {
        if (ops.put(opType, new OpDef(opType, Set.of(attributes), kernel)) != null) throw new IllegalStateException("registered twice: " + opType);
    }

    public OpDef get(String opType) {
        return ops.get(opType);
    }

    /** The ONNX domain of the training operators Sinter runs (Adagrad, Adam, Momentum, Gradient). */
    public static final String TRAINING_DOMAIN = "ai.onnx.preview.training";

    /** Whether Sinter has operators of {@code domain} ("" and "ai.onnx" are the default domain). */
    public static boolean knownDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx") || domain.equals(TRAINING_DOMAIN);
    }

    /** The operator {@code opType} of {@code domain}; other domains' operators are registered under "domain.opType". */
    public OpDef get(String domain, String opType) {
        return domain.isEmpty() || domain.equals("ai.onnx") ? ops.get(opType) : ops.get(domain + "." + opType);
    }

    public Set<String> opTypes() {
        return ops.keySet();
    }
}
