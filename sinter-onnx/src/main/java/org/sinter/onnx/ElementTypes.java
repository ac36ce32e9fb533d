package org.sinter.onnx;

import org.sinter.DType;
import org.sinter.onnx.proto.Onnx.TensorProto.DataType;

/**
 * ONNX element types and Sinter's dtypes. Sinter has no 8- and 16-bit integers: ONNX's int8,
 * uint8, int16 and uint16 load as int32 and uint32 as int64 (every value fits; arithmetic that
 * would wrap around in the narrow type does not), and come back out in their declared type.
 * uint64 loads as int64 too: constants of 2^63 and more are refused when read (TensorProtos), and
 * arithmetic that would pass 2^63 wraps as int64 does, where uint64 would not.
 */
public final class ElementTypes {
    private ElementTypes() {}

    /** Sinter's dtype for ONNX element type {@code code}, or an error naming {@code where}. */
    public static DType dtype(int code, String where) {
        DataType t = DataType.forNumber(code);
        if (t == null) throw new OnnxException(where + ": unknown ONNX element type " + code);
        return switch (t) {
            case FLOAT -> DType.FLOAT32;
            case DOUBLE -> DType.FLOAT64;
            case FLOAT16 -> DType.FLOAT16;
            case BFLOAT16 -> DType.BFLOAT16;
            case INT32, INT8, UINT8, INT16, UINT16 -> DType.INT32;
            case INT64, UINT32, UINT64 -> DType.INT64;
            case BOOL -> DType.BOOL;
            default -> throw new UnsupportedOnnxException(where + ": element type " + t + " is not supported (Sinter has float, double, "
                    + "float16, bfloat16, the 8- to 64-bit integers, and bool)");
        };
    }

    public static String name(int code) {
        DataType t = DataType.forNumber(code);
        return t == null ? "type " + code : t.name().toLowerCase();
    }

    /** The ONNX element type that Sinter writes for a dtype. */
    public static int code(DType d) {
        return switch (d) {
            case FLOAT32 -> DataType.FLOAT_VALUE;
            case FLOAT64 -> DataType.DOUBLE_VALUE;
            case FLOAT16 -> DataType.FLOAT16_VALUE;
            case BFLOAT16 -> DataType.BFLOAT16_VALUE;
            case INT32 -> DataType.INT32_VALUE;
            case INT64 -> DataType.INT64_VALUE;
            case BOOL -> DataType.BOOL_VALUE;
        };
    }

    /** Bytes per element of ONNX type {@code code} in raw_data (0 for types without a fixed size). */
    public static int byteSize(int code) {
        DataType t = DataType.forNumber(code);
        if (t == null) return 0;
        return switch (t) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> 1;
            case COMPLEX128 -> 16;
            default -> 0;
        };
    }
}
