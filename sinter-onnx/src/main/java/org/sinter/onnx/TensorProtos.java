package org.sinter.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.onnx.proto.Onnx.StringStringEntryProto;
import org.sinter.onnx.proto.Onnx.TensorProto;
import org.sinter.onnx.proto.Onnx.TensorProto.DataType;

/**
 * ONNX {@code TensorProto}s as Sinter tensors: the data from raw little-endian bytes, the typed
 * repeated fields, or an external file ({@code location}, {@code offset}, {@code length} relative
 * to the model's directory). Sizes are checked against the data present before anything is
 * allocated, so a file that claims absurd dimensions fails with a message instead of running out
 * of memory.
 */
public final class TensorProtos {
    /** Sinter's storage limit: at most 2^31 - 17 elements in one tensor. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 16;

    private TensorProtos() {}

    /** The element count of {@code dims}, checked to be non-negative and within a tensor's limit. */
    public static int numel(List<Long> dims, String where) {
        long n = 1;
        for (int i = 0; i < dims.size(); i++) {
            long d = dims.get(i);
            if (d < 0) throw new OnnxException(where + ": dimension " + i + " is negative (" + d + ") in dims " + dims);
            if (d > MAX_ELEMENTS) throw new OnnxException(where + ": dimension " + i + " is absurdly large (" + d + ") in dims " + dims);
            n *= d;
            if (n > MAX_ELEMENTS) throw new OnnxException(where + ": dims " + dims + " hold more than 2^31 - 17 elements, Sinter's tensor limit");
        }
        return (int) n;
    }

    /** The strings of a STRING tensor's {@code string_data} (UTF-8), shaped by its dims (checked as {@link #numel} does). */
    public static OnnxStrings toStrings(TensorProto t, String where) {
        int n = numel(t.getDimsList(), where);
        if (n != t.getStringDataCount()) {
            throw new OnnxException(where + ": dims " + t.getDimsList() + " hold " + n + " strings, string_data has " + t.getStringDataCount());
        }
        List<String> values = new java.util.ArrayList<>(n);
        for (var b : t.getStringDataList()) values.add(b.toString(java.nio.charset.StandardCharsets.UTF_8));
        return OnnxStrings.of(values, shape(t.getDimsList()));
    }

    static int[] shape(List<Long> dims) {
        int[] s = new int[dims.size()];
        for (int i = 0; i < s.length; i++) s[i] = (int) (long) dims.get(i);
        return s;
    }

    /**
     * The tensor {@code t} holds. {@code baseDir} resolves external data (null: external data is an
     * error); {@code where} names the tensor in errors (file and initializer or node).
     */
    public static Tensor toTensor(TensorProto t, Path baseDir, String where) {
        String name = where + (t.getName().isEmpty() ? "" : " (tensor '" + t.getName() + "')");
        int code = t.getDataType();
        DType dtype = ElementTypes.dtype(code, name);
        int n = numel(t.getDimsList(), name);
        int[] shape = shape(t.getDimsList());
        if (t.hasSegment()) throw new UnsupportedOnnxException(name + ": segmented tensors are not supported");
        ByteBuffer raw = null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = external(t, baseDir, name, (long) n * ElementTypes.byteSize(code));
        } else if (t.hasRawData()) {
            raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long want = (long) n * ElementTypes.byteSize(code);
            if (raw.remaining() != want) {
                throw new OnnxException(name + ": raw_data has " + raw.remaining() + " bytes, but dims " + t.getDimsList() + " of "
                        + ElementTypes.name(code) + " need " + want);
            }
        }
        Tensor out = raw != null ? fromRaw(raw, code, dtype, n, shape, name) : fromFields(t, code, dtype, n, shape, name);
        return out.dim() == shape.length ? out : out.reshape(shape); // Tensor.of with no dims makes a vector, not a scalar
    }

    private static Tensor fromRaw(ByteBuffer b, int code, DType dtype, int n, int[] shape, String where) {
        DataType type = DataType.forNumber(code);
        switch (type) {
            case FLOAT -> { float[] a = new float[n]; b.asFloatBuffer().get(a); return Tensor.of(a, shape); }
            case DOUBLE -> { double[] a = new double[n]; b.asDoubleBuffer().get(a); return Tensor.of(a, shape); }
            case INT64 -> { long[] a = new long[n]; b.asLongBuffer().get(a); return Tensor.of(a, shape); }
            case UINT64 -> { long[] a = new long[n]; b.asLongBuffer().get(a); return Tensor.of(belowSignBit(a, where), shape); }
            case INT32 -> { int[] a = new int[n]; b.asIntBuffer().get(a); return Tensor.of(a, shape); }
            case UINT32 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = b.getInt(b.position() + 4 * i) & 0xffffffffL; return Tensor.of(a, shape); }
            case INT16 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.getShort(b.position() + 2 * i); return Tensor.of(a, shape); }
            case UINT16 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.getShort(b.position() + 2 * i) & 0xffff; return Tensor.of(a, shape); }
            case INT8 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.get(b.position() + i); return Tensor.of(a, shape); }
            case UINT8 -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.get(b.position() + i) & 0xff; return Tensor.of(a, shape); }
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = b.get(b.position() + i) != 0; return Tensor.of(a, shape); }
            case FLOAT16, BFLOAT16 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = halfToFloat(b.getShort(b.position() + 2 * i), type);
                return Tensor.of(a, shape).to(dtype);
            }
            default -> throw new IllegalStateException("unreachable: " + type);
        }
    }

    /**
     * uint64 values held as int64 (see ElementTypes): those of 2^63 and more have no int64 form, and
     * are refused rather than wrapped to negative numbers.
     */
    private static long[] belowSignBit(long[] a, String where) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) throw new UnsupportedOnnxException(where + ": uint64 element " + i + " is " + Long.toUnsignedString(a[i])
                    + ", 2^63 or more (Sinter holds uint64 as int64)");
        }
        return a;
    }

    private static float halfToFloat(short bits, DataType type) {
        return type == DataType.FLOAT16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    private static Tensor fromFields(TensorProto t, int code, DType dtype, int n, int[] shape, String name) {
        DataType type = DataType.forNumber(code);
        int have = switch (type) {
            case FLOAT -> t.getFloatDataCount();
            case DOUBLE -> t.getDoubleDataCount();
            case INT64 -> t.getInt64DataCount();
            case UINT32, UINT64 -> t.getUint64DataCount();
            default -> t.getInt32DataCount();
        };
        if (have != n) {
            throw new OnnxException(name + ": holds " + have + " values of " + ElementTypes.name(code) + ", but dims " + t.getDimsList() + " need " + n);
        }
        switch (type) {
            case FLOAT -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = t.getFloatData(i); return Tensor.of(a, shape); }
            case DOUBLE -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = t.getDoubleData(i); return Tensor.of(a, shape); }
            case INT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = t.getInt64Data(i); return Tensor.of(a, shape); }
            case UINT32 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = t.getUint64Data(i); return Tensor.of(a, shape); }
            case UINT64 -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = t.getUint64Data(i); return Tensor.of(belowSignBit(a, name), shape); }
            case BOOL -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = t.getInt32Data(i) != 0; return Tensor.of(a, shape); }
            case FLOAT16, BFLOAT16 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = halfToFloat((short) t.getInt32Data(i), type);
                return Tensor.of(a, shape).to(dtype);
            }
            default -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = t.getInt32Data(i); return Tensor.of(a, shape); }
        }
    }

    /**
     * {@code t} with its external data read into {@code raw_data} (checked as {@link #toTensor}
     * checks it), or {@code t} itself when it holds its data. Sub-graph initializers are inlined so
     * when the file is read, since the bodies are prepared where the model's directory is not known.
     */
    static TensorProto inlined(TensorProto t, Path baseDir, String where) {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) return t;
        String name = where + (t.getName().isEmpty() ? "" : " (tensor '" + t.getName() + "')");
        int code = t.getDataType();
        ElementTypes.dtype(code, name);
        int n = numel(t.getDimsList(), name);
        ByteBuffer raw = external(t, baseDir, name, (long) n * ElementTypes.byteSize(code));
        return t.toBuilder().clearExternalData().setDataLocation(TensorProto.DataLocation.DEFAULT)
                .setRawData(com.google.protobuf.ByteString.copyFrom(raw)).build();
    }

    /** Reads external data: the file must lie inside the model's directory and hold exactly the bytes the dims need. */
    private static ByteBuffer external(TensorProto t, Path baseDir, String name, long want) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            try {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { } // checksum and other keys are advisory
                }
            } catch (NumberFormatException ex) {
                throw new OnnxException(name + ": external_data " + e.getKey() + " is not a number: '" + e.getValue() + "'");
            }
        }
        if (location == null || location.isEmpty()) throw new OnnxException(name + ": external data without a 'location' entry");
        if (baseDir == null) throw new OnnxException(name + ": external data '" + location + "' but the model was not loaded from a file");
        Path base = baseDir.toAbsolutePath().normalize();
        Path file = base.resolve(location).normalize();
        if (!file.startsWith(base)) throw new OnnxException(name + ": external data location '" + location + "' points outside the model's directory " + base);
        if (offset < 0) throw new OnnxException(name + ": external data offset " + offset + " is negative");
        if (length >= 0 && length != want) throw new OnnxException(name + ": external data length " + length + " does not match the " + want + " bytes its dims need");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset + want > size) {
                throw new OnnxException(name + ": external data file " + file + " has " + size + " bytes, too few for " + want + " bytes at offset " + offset);
            }
            ByteBuffer b = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) throw new OnnxException(name + ": external data file " + file + " ended early");
            }
            return b.flip();
        } catch (NoSuchFileException e) {
            throw new OnnxException(name + ": external data file " + file + " does not exist");
        } catch (IOException e) {
            throw new OnnxException(name + ": cannot read external data file " + file + ": " + e.getMessage(), e);
        }
    }

    /** A tensor as a TensorProto with raw little-endian data (for export and test data). */
    public static TensorProto fromTensor(String name, Tensor t) {
        Tensor c = t.contiguous();
        int n = (int) c.numel();
        DType d = c.dtype();
        int size = switch (d) { case FLOAT32, INT32 -> 4; case FLOAT64, INT64 -> 8; case FLOAT16, BFLOAT16 -> 2; case BOOL -> 1; };
        ByteBuffer b = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
        switch (d) {
            case FLOAT32 -> b.asFloatBuffer().put(c.toFloatArray());
            case FLOAT64 -> b.asDoubleBuffer().put(c.toDoubleArray());
            case INT32 -> b.asIntBuffer().put(c.toIntArray());
            case INT64 -> b.asLongBuffer().put(c.toLongArray());
            case BOOL -> { for (boolean v : c.toBooleanArray()) b.put((byte) (v ? 1 : 0)); }
            case FLOAT16 -> { for (float v : c.toFloatArray()) b.putShort(Float.floatToFloat16(v)); }
            case BFLOAT16 -> { for (float v : c.toFloatArray()) b.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); }
        }
        TensorProto.Builder tb = TensorProto.newBuilder().setName(name).setDataType(ElementTypes.code(d))
                .setRawData(com.google.protobuf.ByteString.copyFrom(b.array()));
        for (int s : c.shape()) tb.addDims(s);
        return tb.build();
    }
}
