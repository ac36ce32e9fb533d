package org.sinter.onnx.export;

import java.util.ArrayList;
import java.util.List;

/**
 * The int64 tensors that ONNX takes as inputs for shapes and bounds (Reshape's shape, Expand's,
 * Slice's ends), with a dynamic batch: an entry that the trace found to be {@code a·B + c} in the
 * batch size B becomes a small computation from the run-time batch (read once from a graph input
 * with Shape and Gather), the others stay constants. Without a dynamic batch everything is a constant.
 */
final class ShapeInputs {
    private final GraphWriter w;
    /** The graph input and dimension the batch size is read from; null: static shapes. */
    private final String batchSource;
    private final int batchDim;
    /** The batch size the graph was traced at: an entry's intercept is its traced value minus slope times this. */
    private final int tracedBatch;
    private String batch;

    ShapeInputs(GraphWriter w, String batchSource, int batchDim, int tracedBatch) {
        this.w = w;
        this.batchSource = batchSource;
        this.batchDim = batchDim;
        this.tracedBatch = tracedBatch;
    }

    /** The int64 tensor of {@code values}, where {@code slopes[i]} (null: all 0) is entry i's slope in the batch size. */
    String of(int[] values, int[] slopes) {
        boolean dynamic = false;
        if (slopes != null) for (int s : slopes) dynamic |= s != 0;
        if (!dynamic) return w.ints(values);
        if (batchSource == null) throw new IllegalStateException("onnx export: a batch-dependent shape in a graph exported with static shapes");
        List<String> parts = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (slopes[i] == 0) {
                run.add((long) values[i]);
                continue;
            }
            if (!run.isEmpty()) {
                parts.add(w.ints(run.stream().mapToLong(Long::longValue).toArray()));
                run.clear();
            }
            parts.add(affine(slopes[i], values[i] - (long) slopes[i] * tracedBatch));
        }
        if (!run.isEmpty()) parts.add(w.ints(run.stream().mapToLong(Long::longValue).toArray()));
        return parts.size() == 1 ? parts.get(0) : w.node1("Concat", parts, GraphWriter.attr("axis", 0));
    }

    /** {@code [a·B + c]}, a one-element int64 tensor. */
    private String affine(long a, long c) {
        String b = batch();
        String r = a == 1 ? b : w.node1("Mul", GraphWriter.list(b, w.ints(a)));
        return c == 0 ? r : w.node1("Add", GraphWriter.list(r, w.ints(c)));
    }

    /** The run-time batch size as a one-element int64 tensor, computed once. */
    private String batch() {
        if (batch == null) {
            String shape = w.node1("Shape", batchSource);
            batch = w.node1("Gather", GraphWriter.list(shape, w.ints(batchDim)), GraphWriter.attr("axis", 0));
        }
        return batch;
    }
}
