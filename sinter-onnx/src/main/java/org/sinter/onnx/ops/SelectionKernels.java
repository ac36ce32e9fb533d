package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Tensor;

/**
 * Operators that pick or reorder elements by a mask or lengths given as data: {@code Compress}
 * (the slices where a condition holds) and {@code ReverseSequence} (each batch entry's first
 * {@code len} steps reversed). The condition and the lengths decide the output's shape or the
 * gather pattern, so Sinter specialises on them (see ValueInputs) and builds constant indices.
 */
final class SelectionKernels {
    private SelectionKernels() {}

    static void register(OpRegistry r) {
        r.add("Compress", SelectionKernels::compress, "axis");
        r.add("ReverseSequence", SelectionKernels::reverseSequence, "batch_axis", "time_axis");
    }

    private static Tensor[] compress(NodeContext n) {
        Tensor x = n.in(0);
        long[] cond = n.constLongs(1, "condition");
        boolean flat = !n.hasAttr("axis");
        Tensor src = flat ? x.reshape(-1) : x;
        int axis = flat ? 0 : n.axis(n.attrInt("axis", 0), x.dim());
        int size = src.size(axis);
        if (cond.length > size) throw n.error("the condition has " + cond.length + " entries, more than the " + size + " along axis " + axis);
        List<Long> keep = new ArrayList<>();
        for (int i = 0; i < cond.length; i++) if (cond[i] != 0) keep.add((long) i);
        Tensor idx = Tensor.of(keep.stream().mapToLong(Long::longValue).toArray(), keep.size());
        return one(src.indexSelect(axis, idx));
    }

    private static Tensor[] reverseSequence(NodeContext n) {
        Tensor x = n.in(0);
        long[] lens = n.constLongs(1, "sequence_lens");
        int batchAxis = n.axis(n.attrInt("batch_axis", 1), x.dim()), timeAxis = n.axis(n.attrInt("time_axis", 0), x.dim());
        if (batchAxis == timeAxis || x.dim() < 2) throw n.error("batch_axis and time_axis must be two different axes of a tensor of rank 2 or more");
        int batch = x.size(batchAxis), time = x.size(timeAxis);
        if (lens.length != batch) throw n.error("sequence_lens has " + lens.length + " entries for a batch of " + batch);
        // index[t][b] = the time step read for output step t of batch entry b.
        long[] index = new long[time * batch];
        for (int b = 0; b < batch; b++) {
            if (lens[b] < 0 || lens[b] > time) throw n.error("sequence_lens[" + b + "] = " + lens[b] + " is outside 0.." + time);
            for (int t = 0; t < time; t++) index[t * batch + b] = t < lens[b] ? lens[b] - 1 - t : t;
        }
        int[] shape = new int[x.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[timeAxis] = time;
        shape[batchAxis] = batch;
        Tensor idx = Tensor.of(index, time, batch);
        if (timeAxis > batchAxis) idx = idx.t().contiguous();
        return one(x.gather(timeAxis, idx.reshape(shape).expand(x.shape()).contiguous()));
    }

}
