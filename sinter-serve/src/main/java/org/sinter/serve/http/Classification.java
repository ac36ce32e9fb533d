package org.sinter.serve.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sinter.Tensor;
import org.sinter.serve.DataType;

/**
 * Triton's classification extension: an output requested with {@code parameters.classification = k}
 * comes back as a {@code BYTES} tensor of shape {@code [batch, k]} (or {@code [k]} for a model without
 * a batch dimension) whose elements are the k highest-valued classes of each sample, highest first,
 * as strings {@code "<value>:<index>[:<label>]"}. When an output has fewer than k classes, all of
 * them are returned; equal values keep the lower index first. Values print as Java's shortest
 * round-trip decimal of the output's datatype.
 *
 * @param shape the returned tensor's shape
 * @param strings its elements, row-major
 */
public record Classification(int[] shape, List<String> strings) {
    /**
     * @param batched whether the output's first dimension is the batch
     * @param labels class names by index; an index beyond them gets no label
     */
    public static Classification of(Tensor output, int k, boolean batched, List<String> labels) {
        DataType dt = DataType.of(output.dtype());
        long numel = output.numel();
        int rows = batched && output.dim() > 0 ? output.shape()[0] : 1;
        int classes = rows == 0 ? 0 : (int) (numel / rows);
        int top = Math.min(k, classes);
        double[] values = new double[(int) numel];
        switch (dt) {
            case FP32 -> {
                float[] a = output.toFloatArray();
                for (int i = 0; i < a.length; i++) values[i] = a[i];
            }
            case FP64 -> System.arraycopy(output.toDoubleArray(), 0, values, 0, values.length);
            case INT64 -> {
                long[] a = output.toLongArray();
                for (int i = 0; i < a.length; i++) values[i] = a[i];
            }
            case INT32, BOOL -> {
                int[] a = output.toIntArray();
                for (int i = 0; i < a.length; i++) values[i] = a[i];
            }
        }
        List<String> out = new ArrayList<>(rows * top);
        Integer[] order = new Integer[classes];
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            for (int c = 0; c < classes; c++) order[c] = c;
            // Stable sort: equal values keep the lower class index first.
            Arrays.sort(order, (x, y) -> Double.compare(values[base + y], values[base + x]));
            for (int j = 0; j < top; j++) {
                int c = order[j];
                out.add(print(dt, values[base + c]) + ":" + c + (c < labels.size() ? ":" + labels.get(c) : ""));
            }
        }
        return new Classification(batched ? new int[] {rows, top} : new int[] {top}, out);
    }

    private static String print(DataType dt, double v) {
        return switch (dt) {
            case FP32 -> Float.toString((float) v);
            case FP64 -> Double.toString(v);
            default -> Long.toString((long) v);
        };
    }

    /** The binary tensor data extension's BYTES layout: each element a 4-byte little-endian length, then its bytes. */
    public byte[] toBinary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : strings) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(len.clear().putInt(b.length).array());
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
