package org.sinter.cuda;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.backend.cpu.CpuBackend;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.Op;
import org.sinter.ops.UpdateOp;

/**
 * Ops the GPU has no kernel for (yet) run on the host: the inputs are copied to the CPU, the CPU
 * kernel runs, the results come back. Correct but slow (two transfers and a synchronisation), so
 * each use is counted by op name ({@link Cuda#hostFallbacks()}), and the documentation lists them.
 */
final class HostFallback {
    private static final ConcurrentHashMap<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private HostFallback() {}

    static Map<String, Long> counts() {
        Map<String, Long> m = new TreeMap<>();
        COUNTS.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private static void count(Op op) {
        COUNTS.computeIfAbsent(op.name(), k -> new LongAdder()).increment();
    }

    private static Device deviceOf(Tensor[] in) {
        for (Tensor t : in) if (t.device().type() == Device.Type.CUDA) return t.device();
        throw new IllegalStateException("no CUDA tensor among the inputs");
    }

    private static Tensor[] toHost(Tensor[] in) {
        Tensor[] host = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) host[i] = in[i].to(Device.CPU);
        return host;
    }

    static Tensor[] execute(Op op, Tensor[] in) {
        count(op);
        Device d = deviceOf(in);
        Tensor[] outs = CpuBackend.INSTANCE.execute(op, toHost(in));
        for (int i = 0; i < outs.length; i++) outs[i] = outs[i].to(d);
        return outs;
    }

    static void executeInPlace(InPlaceOp op, Tensor[] in) {
        count(op);
        Device d = deviceOf(in);
        Tensor[] host = toHost(in);
        CpuBackend.INSTANCE.executeInPlace(op, host);
        PointwiseOps.copy(in[0], host[0].to(d));
    }

    /** An op that writes some of its inputs: those are copied back into the device tensors. */
    static Tensor[] update(Op op, Tensor[] in) {
        count(op);
        Device d = deviceOf(in);
        Tensor[] host = toHost(in);
        CpuBackend.INSTANCE.execute(op, host);
        for (int w : ((UpdateOp) op).written(in.length)) PointwiseOps.copy(in[w], host[w].to(d));
        return new Tensor[0];
    }
}
