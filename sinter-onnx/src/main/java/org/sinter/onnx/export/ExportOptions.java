package org.sinter.onnx.export;

import java.util.List;

/**
 * How {@link OnnxExport} writes a model: the opset of the default domain (13 to 17), the names of
 * the graph's inputs and outputs (empty: {@code input}/{@code output}, numbered when there are
 * several), a dynamic batch (dimension 0 of every input, named {@code batch}, as
 * {@code torch.onnx.export}'s {@code dynamic_axes}) or one other dynamic axis, and the size above which the weights go to an
 * external data file beside the model (protobuf cannot hold messages over 2 GiB).
 */
public record ExportOptions(int opset, List<String> inputNames, List<String> outputNames, boolean dynamicBatch, long externalDataThreshold,
                            int dynamicAxis, String dynamicAxisName) {
    public static final int MIN_OPSET = 13, MAX_OPSET = 17;
    /** Weights past 1 GiB in all go to external data: far enough under protobuf's 2 GiB for the graph and the nodes. */
    public static final long DEFAULT_EXTERNAL_THRESHOLD = 1L << 30;

    public ExportOptions {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("onnx export: opset " + opset + " is not supported; Sinter writes opsets " + MIN_OPSET + " to " + MAX_OPSET);
        }
        inputNames = List.copyOf(inputNames);
        outputNames = List.copyOf(outputNames);
        if (externalDataThreshold < 0) throw new IllegalArgumentException("onnx export: externalDataThreshold must be >= 0, got " + externalDataThreshold);
        if (dynamicAxis < 0) throw new IllegalArgumentException("onnx export: the dynamic axis must be >= 0, got " + dynamicAxis);
        if (dynamicAxisName == null || dynamicAxisName.isBlank()) throw new IllegalArgumentException("onnx export: the dynamic axis needs a name");
    }

    public ExportOptions(int opset, List<String> inputNames, List<String> outputNames, boolean dynamicBatch, long externalDataThreshold) {
        this(opset, inputNames, outputNames, dynamicBatch, externalDataThreshold, 0, "batch");
    }

    /** Opset 17, default names, static shapes, external data past 1 GiB. */
    public static ExportOptions defaults() {
        return new ExportOptions(MAX_OPSET, List.of(), List.of(), false, DEFAULT_EXTERNAL_THRESHOLD);
    }

    public ExportOptions withOpset(int o) { return new ExportOptions(o, inputNames, outputNames, dynamicBatch, externalDataThreshold, dynamicAxis, dynamicAxisName); }

    public ExportOptions withNames(List<String> inputs, List<String> outputs) {
        return new ExportOptions(opset, inputs, outputs, dynamicBatch, externalDataThreshold, dynamicAxis, dynamicAxisName);
    }

    /** A dynamic batch: dimension 0 of every input, named {@code batch}. */
    public ExportOptions withDynamicBatch(boolean d) { return new ExportOptions(opset, inputNames, outputNames, d, externalDataThreshold, 0, "batch"); }

    /**
     * One dynamic axis other than the batch (a sequence length, an image side): dimension
     * {@code axis} of every input varies, under {@code name}, and the other dimensions stay fixed.
     * Sizes computed from it must be affine in it, as for the batch; a second dynamic axis at the
     * same time (batch and sequence) is not supported.
     */
    public ExportOptions withDynamicAxis(int axis, String name) {
        return new ExportOptions(opset, inputNames, outputNames, true, externalDataThreshold, axis, name);
    }

    public ExportOptions withExternalDataThreshold(long bytes) {
        return new ExportOptions(opset, inputNames, outputNames, dynamicBatch, bytes, dynamicAxis, dynamicAxisName);
    }
}
