package org.sinter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.sinter.autograd.Function;
import org.sinter.autograd.FunctionContext;
import org.sinter.backend.Backends;

/**
 * A copy between devices ({@code tensor.to(device)}), differentiable as in PyTorch: the gradient
 * of the copy is the gradient copied back to the source device. The bytes go through the two
 * backends' host transfers ({@code readBytes}/{@code writeBytes}), so any pair of devices with
 * data works (a GPU backend stages them through pinned memory).
 */
final class DeviceTransfer extends Function {
    private final Device target;

    DeviceTransfer(Device target) {
        this.target = target;
    }

    @Override
    public String name() { return "to_" + target.type().name().toLowerCase(); }

    @Override
    protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
        ctx.put("source", in[0].device());
        return new Tensor[] {copy(in[0], target)};
    }

    @Override
    protected Tensor[] backward(FunctionContext ctx, Tensor... g) {
        Device source = ctx.get("source");
        return new Tensor[] {g[0] == null ? null : g[0].to(source)};
    }

    /** A new contiguous tensor on {@code target} holding {@code x}'s values (no autograd). */
    static Tensor copy(Tensor x, Device target) {
        try (var _ = GradMode.set(false)) {
            Tensor src = x.isContiguous() ? x : x.contiguous();
            Tensor out = Tensor.empty(x.dtype(), target, x.shape());
            int n = Math.toIntExact(x.numel()), item = x.dtype().itemSize();
            if (n == 0) return out;
            // In chunks of at most 64 MiB: a direct buffer is addressed with an int, and big tensors exceed that.
            int chunk = Math.min(n, (64 << 20) / item);
            ByteBuffer bytes = ByteBuffer.allocateDirect(chunk * item).order(ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < n; at += chunk) {
                int count = Math.min(chunk, n - at);
                bytes.clear();
                Backends.of(src.device()).readBytes(src.storage().array(), x.dtype(), src.storageOffset() + at, count, bytes);
                bytes.rewind();
                Backends.of(target).writeBytes(out.storage().array(), x.dtype(), at, count, bytes);
            }
            return out;
        }
    }
}
