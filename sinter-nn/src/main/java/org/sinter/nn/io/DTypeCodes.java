package org.sinter.nn.io;

import java.util.Set;
import org.sinter.DType;

/** The dtype names of the safetensors header ("F32", "BF16", ...) and Sinter's {@link DType}s. */
final class DTypeCodes {
    /** Names the format defines but Sinter has no dtype for: reported as unsupported, not unknown. */
    private static final Set<String> FORMAT_ONLY = Set.of("U8", "I8", "I16", "U16", "U32", "U64",
            "F8_E5M2", "F8_E4M3", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

    private DTypeCodes() {}

    static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
            case BFLOAT16 -> "BF16";
            case FLOAT16 -> "F16";
        };
    }

    /** The dtype for a header name, or null when Sinter cannot hold it (see {@link #describeUnsupported}). */
    static DType parse(String code) {
        return switch (code) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            case "BF16" -> DType.BFLOAT16;
            case "F16" -> DType.FLOAT16;
            default -> null;
        };
    }

    static String describeUnsupported(String code) {
        String supported = "F32, F64, I32, I64, BOOL, BF16, F16";
        return FORMAT_ONLY.contains(code)
                ? "dtype \"" + code + "\" is valid safetensors but not supported by Sinter (supported: " + supported + ")"
                : "dtype \"" + code + "\" is unknown (supported: " + supported + ")";
    }
}
