package org.sinter.backend.meta;

import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.backend.Backend;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * The meta backend: tensors with shapes and dtypes but no data. Executing an op only runs its
 * meta function (argument checks included), so a whole program can be traced without computing
 * anything. Reading values from a meta tensor fails with a clear error.
 */
public final class MetaBackend implements Backend {
    public static final MetaBackend INSTANCE = new MetaBackend();

    private MetaBackend() {}

    @Override public Device device() { return Device.META; }

    @Override public Object allocate(DType dtype, int length) { return null; }

    @Override
    public void readBytes(Object buffer, DType dtype, int from, int count, java.nio.ByteBuffer dst) {
        throw noData();
    }

    @Override
    public void writeBytes(Object buffer, DType dtype, int at, int count, java.nio.ByteBuffer src) {
        throw noData();
    }

    private static IllegalStateException noData() {
        return new IllegalStateException("a meta tensor has no data to read or write");
    }

    @Override
    public Tensor[] execute(Op op, Tensor... inputs) {
        TensorSpec[] specs = op.meta(inputs);
        Tensor[] out = new Tensor[specs.length];
        for (int i = 0; i < specs.length; i++) out[i] = Tensor.empty(specs[i].dtype(), Device.META, specs[i].shape());
        return out;
    }

    @Override
    public void executeInPlace(InPlaceOp op, Tensor... inputs) {
        // Nothing to write; Dispatch has checked the result's shape and dtype against inputs[0].
    }
}
