package org.sinter.rl.remote;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.rl.WeightSnapshot;

/**
 * The encodings of the rollout protocol's values: length-prefixed arrays (big-endian, as
 * {@link DataOutputStream} writes) and weight snapshots (version, then each float32 tensor's name,
 * shape and values). A length past {@link #MAX_LENGTH} or a negative one is a corrupt frame, refused
 * with the field's name.
 */
public final class Wire {
    /** The longest array a frame may carry (64 Mi elements). */
    public static final int MAX_LENGTH = 1 << 26;

    private Wire() {}

    static int length(DataInputStream in, String field) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_LENGTH) throw new IOException("rollout protocol: " + field + " has length " + n + ", outside [0, " + MAX_LENGTH + "]");
        return n;
    }

    public static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) out.writeFloat(v);
    }

    public static float[] readFloats(DataInputStream in, String field) throws IOException {
        float[] a = new float[length(in, field)];
        for (int i = 0; i < a.length; i++) a[i] = in.readFloat();
        return a;
    }

    public static void writeDoubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) out.writeDouble(v);
    }

    public static double[] readDoubles(DataInputStream in, String field) throws IOException {
        double[] a = new double[length(in, field)];
        for (int i = 0; i < a.length; i++) a[i] = in.readDouble();
        return a;
    }

    public static void writeLongs(DataOutputStream out, long[] a) throws IOException {
        out.writeInt(a.length);
        for (long v : a) out.writeLong(v);
    }

    public static long[] readLongs(DataInputStream in, String field) throws IOException {
        long[] a = new long[length(in, field)];
        for (int i = 0; i < a.length; i++) a[i] = in.readLong();
        return a;
    }

    public static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) out.writeInt(v);
    }

    public static int[] readInts(DataInputStream in, String field) throws IOException {
        int[] a = new int[length(in, field)];
        for (int i = 0; i < a.length; i++) a[i] = in.readInt();
        return a;
    }

    public static void writeBooleans(DataOutputStream out, boolean[] a) throws IOException {
        out.writeInt(a.length);
        for (boolean v : a) out.writeBoolean(v);
    }

    public static boolean[] readBooleans(DataInputStream in, String field) throws IOException {
        boolean[] a = new boolean[length(in, field)];
        for (int i = 0; i < a.length; i++) a[i] = in.readBoolean();
        return a;
    }

    public static void writeDoubleList(DataOutputStream out, List<Double> values) throws IOException {
        out.writeInt(values.size());
        for (double v : values) out.writeDouble(v);
    }

    public static List<Double> readDoubleList(DataInputStream in, String field) throws IOException {
        int n = length(in, field);
        List<Double> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) values.add(in.readDouble());
        return values;
    }

    /** The version and every tensor of {@code weights}, as float32 (the policies' dtype). */
    public static void writeWeights(DataOutputStream out, WeightSnapshot weights) throws IOException {
        out.writeLong(weights.version());
        out.writeInt(weights.state().size());
        for (Map.Entry<String, Tensor> e : weights.state().entrySet()) {
            out.writeUTF(e.getKey());
            writeInts(out, e.getValue().shape());
            writeFloats(out, e.getValue().contiguous().toFloatArray());
        }
    }

    public static WeightSnapshot readWeights(DataInputStream in) throws IOException {
        long version = in.readLong();
        int n = length(in, "weights");
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String name = in.readUTF();
            int[] shape = readInts(in, name + ".shape");
            float[] values = readFloats(in, name);
            long elements = 1;
            for (int d : shape) elements *= d;
            if (elements != values.length) {
                throw new IOException("rollout protocol: weight " + name + " has shape " + java.util.Arrays.toString(shape) + " but " + values.length + " values");
            }
            state.put(name, Tensor.of(values, shape));
        }
        return new WeightSnapshot(version, state);
    }
}
