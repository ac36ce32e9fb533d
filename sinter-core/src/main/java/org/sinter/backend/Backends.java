package org.sinter.backend;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.backend.cpu.CpuBackend;
import org.sinter.backend.meta.MetaBackend;
import org.sinter.ops.Op;

/**
 * The backend of each device: CPU and meta are built in; other devices (CUDA) register theirs.
 * Also the device rule of every op: all inputs on one device, except 0-d CPU tensors (Java numbers
 * and scalars), which may join tensors of any device, as in PyTorch.
 */
public final class Backends {
    private static final ConcurrentHashMap<Device.Type, Backend> BY_TYPE = new ConcurrentHashMap<>();

    static {
        BY_TYPE.put(Device.Type.CPU, CpuBackend.INSTANCE);
        BY_TYPE.put(Device.Type.META, MetaBackend.INSTANCE);
    }

    private Backends() {}

    /** Makes a backend available for its device type (e.g. the CUDA module on load). */
    public static void register(Backend backend) {
        BY_TYPE.put(backend.device().type(), backend);
    }

    public static Backend of(Device device) {
        Backend b = BY_TYPE.get(device.type());
        if (b == null) b = discover(device);
        if (b == null) {
            throw new IllegalStateException("no backend for device " + device + " is available"
                    + (device.type() == Device.Type.CUDA ? " (put the sinter-cuda module on the class path)" : ""));
        }
        return b;
    }

    /** Backends of other modules announce themselves as services ({@code META-INF/services/org.sinter.backend.Backend}). */
    private static synchronized Backend discover(Device device) {
        Backend known = BY_TYPE.get(device.type());
        if (known != null) return known;
        for (Backend b : java.util.ServiceLoader.load(Backend.class)) BY_TYPE.putIfAbsent(b.device().type(), b);
        return BY_TYPE.get(device.type());
    }

    /** The device an op runs on, from its inputs; a clear error when they mix devices. */
    public static Device deviceOf(Op op, Tensor[] inputs) {
        Device found = null;
        for (Tensor t : inputs) {
            Device d = t.device();
            if (d.type() == Device.Type.CPU && t.dim() == 0) continue;
            if (found == null) found = d;
            else if (!found.equals(d)) {
                throw new IllegalArgumentException(op.name() + ": expected all tensors to be on the same device, but found at least two devices, "
                        + found + " and " + d + " (inputs " + describe(inputs) + ")");
            }
        }
        return found != null ? found : Device.CPU;
    }

    private static String describe(Tensor[] ts) {
        StringBuilder sb = new StringBuilder();
        for (Tensor t : ts) sb.append(sb.isEmpty() ? "" : ", ").append(t.device()).append(Arrays.toString(t.shape()));
        return sb.toString();
    }
}
