package org.sinter.backend;

import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.ops.InPlaceOp;
import org.sinter.ops.Op;

/**
 * Where primitives run: a backend allocates buffers for its device and executes each op of the
 * closed set ({@link Op}) on tensors of that device. {@code Dispatch} picks the backend from the
 * inputs' device; autograd, views and the op semantics are shared by every backend.
 */
public interface Backend {
    Device device();

    /**
     * A zero-filled buffer of {@code length} elements of {@code dtype}, opaque to everyone but
     * this backend (the CPU backend's buffers are Java arrays; the meta backend's hold nothing).
     */
    Object allocate(DType dtype, int length);

    /** {@link #allocate(DType, int)} on one device of this backend's type (a GPU backend serves {@code cuda:0}, {@code cuda:1}, ...). */
    default Object allocate(Device device, DType dtype, int length) {
        return allocate(dtype, length);
    }

    /**
     * Copies elements {@code [from, from+count)} of a buffer to {@code dst} as little-endian bytes
     * (bool as 0/1 bytes, half types as their 16-bit patterns): how files and other devices read data.
     */
    void readBytes(Object buffer, DType dtype, int from, int count, java.nio.ByteBuffer dst);

    /** The inverse of {@link #readBytes}: writes {@code count} elements from {@code src} at {@code at}. */
    void writeBytes(Object buffer, DType dtype, int at, int count, java.nio.ByteBuffer src);

    /** Runs a non-view op (views are geometry, made by {@code Dispatch}); returns its outputs. */
    Tensor[] execute(Op op, Tensor... inputs);

    /** Runs an in-place op: the result is written into {@code inputs[0]}. */
    void executeInPlace(InPlaceOp op, Tensor... inputs);

    /**
     * Waits until the work queued on {@code device} has finished. Backends that run asynchronously
     * (a GPU queues kernels) override it; the profiler calls it so an op's time is its kernels' time.
     */
    default void synchronize(Device device) {}
}
