package org.sinter.serve;

import java.util.Arrays;
import java.util.Locale;
import org.sinter.DType;

/**
 * The Open Inference Protocol's tensor data types that Sinter tensors can hold, with their wire names
 * ({@code FP32}, {@code INT64}…) and their element size in the binary tensor data extension.
 */
public enum DataType {
    BOOL(DType.BOOL, 1),
    INT32(DType.INT32, 4),
    INT64(DType.INT64, 8),
    FP32(DType.FLOAT32, 4),
    FP64(DType.FLOAT64, 8);

    public final DType dtype;
    /** Bytes per element in the binary extension (BOOL is one byte, as the protocol says). */
    public final int byteSize;

    DataType(DType dtype, int byteSize) {
        this.dtype = dtype;
        this.byteSize = byteSize;
    }

    /** The wire name; {@code field} names where it came from, for the error. */
    public static DataType parse(String name, String field) {
        if (name == null) throw new IllegalArgumentException(field + " is missing");
        for (DataType t : values()) if (t.name().equals(name.toUpperCase(Locale.ROOT))) return t;
        throw new IllegalArgumentException(field + ": datatype '" + name + "' is not supported; supported: "
                + Arrays.toString(values()));
    }

    public static DataType of(DType dtype) {
        for (DataType t : values()) if (t.dtype == dtype) return t;
        throw new IllegalArgumentException("tensors of dtype " + dtype + " have no Open Inference Protocol datatype here");
    }
}
