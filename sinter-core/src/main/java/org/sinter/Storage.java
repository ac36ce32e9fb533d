package org.sinter;

import java.util.concurrent.atomic.AtomicLong;
import org.sinter.kernels.ConvertKernels;

/**
 * The flat, heap-allocated buffer behind one or more tensors (a base and its views). Each dtype
 * keeps its natural Java array: float32 → float[], float64 → double[], int32 → int[],
 * int64 → long[], bool → byte[] (0/1), bfloat16/float16 → short[] holding the raw bits.
 *
 * <p>The storage carries the version counter that autograd uses to detect a tensor modified in
 * place after it was saved for backward: every view shares it, as in PyTorch.
 */
public final class Storage {
    private static final AtomicLong NEXT_ID = new AtomicLong();

    final DType dtype;
    final Device device;
    /** The backend's buffer: a Java array on the CPU, nothing on the meta device (replaced by {@link #resize}). */
    Object array;
    int length;
    /** Allocation sequence number: lets autograd tell buffers it created itself from older ones. */
    final long id = NEXT_ID.incrementAndGet();
    private int version;

    Storage(DType dtype, int length) {
        this(dtype, Device.CPU, length);
    }

    Storage(DType dtype, Device device, int length) {
        this.dtype = dtype;
        this.device = device;
        this.length = length;
        this.array = org.sinter.backend.Backends.of(device).allocate(device, dtype, length);
    }

    Storage(DType dtype, Object array, int length) {
        this.dtype = dtype;
        this.device = Device.CPU;
        this.array = array;
        this.length = length;
    }

    /** The id counter's current value; storages allocated later have larger ids. */
    static long currentId() { return NEXT_ID.get(); }

    /** The raw Java array (low level: kernels read and write it directly). */
    public Object array() { return array; }

    public DType dtype() { return dtype; }

    /** The device the buffer lives on. */
    public Device device() { return device; }

    /** Number of elements. */
    public int length() { return length; }

    /**
     * Reallocates the buffer to {@code newLength} elements, keeping the first min(old, new) values
     * and zeroing the rest (PyTorch's {@code UntypedStorage.resize_}). Every tensor on this storage,
     * autograd's saved views included, sees the new buffer: fully sharded data parallelism frees a
     * parameter's storage between uses with {@code resize(0)} and refills it before the next use.
     * The version counter is left alone, as PyTorch leaves it. CPU storages only.
     */
    public void resize(int newLength) {
        if (newLength < 0) throw new IllegalArgumentException("Storage.resize: negative length " + newLength);
        if (device != Device.CPU) throw new IllegalStateException("Storage.resize: only CPU storages can be resized, this one is on " + device);
        if (newLength == length) return;
        Object grown = org.sinter.backend.Backends.of(device).allocate(device, dtype, newLength);
        System.arraycopy(array, 0, grown, 0, Math.min(length, newLength));
        array = grown;
        length = newLength;
    }

    /** Bumped by every in-place write; autograd compares it with the value saved in forward. */
    public int version() { return version; }

    /** Marks the data as modified in place (ops writing into existing tensors call it). */
    public void bumpVersion() { version++; }

    public float[] floats() { return (float[]) array; }
    public double[] doubles() { return (double[]) array; }
    public int[] ints() { return (int[]) array; }
    public long[] longs() { return (long[]) array; }
    public byte[] bytes() { return (byte[]) array; }
    public short[] shorts() { return (short[]) array; }

    /** Reads element {@code i} as a double (slow path: printing, item(), generic loops). */
    public double getDouble(int i) {
        if (array == null) throw noData();
        if (device.type() != Device.Type.CPU) return remoteElement(i).getDouble(0);
        return switch (dtype) {
            case FLOAT32 -> floats()[i];
            case FLOAT64 -> doubles()[i];
            case INT32 -> ints()[i];
            case INT64 -> longs()[i];
            case BOOL -> bytes()[i];
            case FLOAT16 -> Float.float16ToFloat(shorts()[i]);
            case BFLOAT16 -> ConvertKernels.bf16ToFloat(shorts()[i]);
        };
    }

    /** Reads element {@code i} as a long (exact for the integer types). */
    public long getLong(int i) {
        if (array == null) throw noData();
        if (device.type() != Device.Type.CPU) return remoteElement(i).getLong(0);
        return switch (dtype) {
            case INT32 -> ints()[i];
            case INT64 -> longs()[i];
            case BOOL -> bytes()[i];
            default -> (long) getDouble(i);
        };
    }

    /** Writes element {@code i}, converting like a PyTorch cast (floats truncate toward zero into ints). */
    public void setDouble(int i, double v) {
        if (device.type() != Device.Type.CPU) {
            Storage one = new Storage(dtype, 1);
            one.setDouble(0, v);
            copyElementTo(one, i);
            return;
        }
        switch (dtype) {
            case FLOAT32 -> floats()[i] = (float) v;
            case FLOAT64 -> doubles()[i] = v;
            case INT32 -> ints()[i] = (int) (long) v;
            case INT64 -> longs()[i] = (long) v;
            case BOOL -> bytes()[i] = (byte) (v != 0 ? 1 : 0);
            case FLOAT16 -> shorts()[i] = Float.floatToFloat16((float) v);
            case BFLOAT16 -> shorts()[i] = ConvertKernels.floatToBf16((float) v);
        }
    }

    public void setLong(int i, long v) {
        if (device.type() != Device.Type.CPU) {
            Storage one = new Storage(dtype, 1);
            one.setLong(0, v);
            copyElementTo(one, i);
            return;
        }
        switch (dtype) {
            case INT32 -> ints()[i] = (int) v;
            case INT64 -> longs()[i] = v;
            case BOOL -> bytes()[i] = (byte) (v != 0 ? 1 : 0);
            default -> setDouble(i, v);
        }
    }

    private IllegalStateException noData() {
        if (device.type() == Device.Type.META) { // what a tracer runs on: a value read there is Java control flow on data
            return new IllegalStateException("a meta tensor has no data: its values cannot be read (a traced function runs on meta "
                    + "tensors: to branch or loop on a tensor's value, use org.sinter.ControlFlow's cond, whileLoop or scan)");
        }
        return new IllegalStateException("a " + device + " tensor has no data: its values cannot be read (move it to the CPU first, "
                + "or compute on a CPU tensor)");
    }

    /** Element {@code i} of a device buffer, read into a one-element CPU storage (slow path: item(), get()). */
    private Storage remoteElement(int i) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(dtype.itemSize()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        readBytes(i, 1, b);
        Storage one = new Storage(dtype, 1);
        one.writeBytes(0, 1, b.rewind());
        return one;
    }

    private void copyElementTo(Storage one, int i) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(dtype.itemSize()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        one.readBytes(0, 1, b);
        writeBytes(i, 1, b.rewind());
    }

    /**
     * Copies elements {@code [from, from+count)} into {@code dst} (from its position; the position
     * is not moved) as little-endian bytes, whatever device holds them.
     */
    public void readBytes(int from, int count, java.nio.ByteBuffer dst) {
        org.sinter.backend.Backends.of(device).readBytes(array, dtype, from, count, dst);
    }

    /** Writes {@code count} elements from the little-endian bytes of {@code src} at element {@code at}. */
    public void writeBytes(int at, int count, java.nio.ByteBuffer src) {
        org.sinter.backend.Backends.of(device).writeBytes(array, dtype, at, count, src);
    }
}
