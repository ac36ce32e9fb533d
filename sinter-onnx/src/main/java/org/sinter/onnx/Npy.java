package org.sinter.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.io.AtomicFiles;

/**
 * NumPy's {@code .npy} format (versions 1.0 to 3.0), the format users hold arrays in: a magic
 * string, a Python-literal header with {@code descr}, {@code fortran_order} and {@code shape}, then
 * the raw data. Reads float16/32/64, int8-64, uint8-32 (widened as in {@link ElementTypes}) and
 * bool, either byte order and either memory order; writes little-endian C order, atomically.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static Tensor read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OnnxException(file + ": no such file");
        }
        return read(bytes, file.toString());
    }

    public static Tensor read(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) throw new OnnxException(where + ": not a .npy file (no \\x93NUMPY magic)");
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(b.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) throw new OnnxException(where + ": truncated .npy header");
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new OnnxException(where + ": .npy version " + major + " is not supported (1 to 3 are)");
        }
        if (headerLen < 0 || start + (long) headerLen > bytes.length) throw new OnnxException(where + ": the .npy header runs past the end of the file");
        String header = new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new OnnxException(where + ": cannot read the .npy header " + header.strip());
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (part.isBlank()) continue;
            try {
                dims.add(Long.parseLong(part.strip()));
            } catch (NumberFormatException e) {
                throw new OnnxException(where + ": bad dimension '" + part.strip() + "' in the .npy shape");
            }
        }
        int n = TensorProtos.numel(dims, where);
        int[] shape = TensorProtos.shape(dims);
        boolean fortran = f.group(1).equals("True");
        int[] stored = shape.clone();
        if (fortran) for (int i = 0; i < shape.length; i++) stored[i] = shape[shape.length - 1 - i];
        int dataStart = start + headerLen;
        if ((long) n * size != bytes.length - dataStart) {
            throw new OnnxException(where + ": the .npy data has " + (bytes.length - dataStart) + " bytes, but shape " + dims + " of " + d.group(2) + size + " needs " + (long) n * size);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(order);
        Tensor t = decode(data, kind, size, n, where).reshape(stored);
        if (fortran) {
            int[] perm = new int[shape.length];
            for (int i = 0; i < perm.length; i++) perm[i] = perm.length - 1 - i;
            t = t.permute(perm).contiguous();
        }
        return t;
    }

    private static Tensor decode(ByteBuffer b, char kind, int size, int n, String where) {
        switch (kind + "" + size) {
            case "f4" -> { float[] a = new float[n]; b.asFloatBuffer().get(a); return Tensor.of(a, n); }
            case "f8" -> { double[] a = new double[n]; b.asDoubleBuffer().get(a); return Tensor.of(a, n); }
            case "f2" -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = Float.float16ToFloat(b.getShort(2 * i)); return Tensor.of(a, n).to(DType.FLOAT16); }
            case "i8" -> { long[] a = new long[n]; b.asLongBuffer().get(a); return Tensor.of(a, n); }
            case "i4" -> { int[] a = new int[n]; b.asIntBuffer().get(a); return Tensor.of(a, n); }
            case "u4" -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = b.getInt(4 * i) & 0xffffffffL; return Tensor.of(a, n); }
            case "i2" -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.getShort(2 * i); return Tensor.of(a, n); }
            case "u2" -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.getShort(2 * i) & 0xffff; return Tensor.of(a, n); }
            case "i1" -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.get(i); return Tensor.of(a, n); }
            case "u1" -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = b.get(i) & 0xff; return Tensor.of(a, n); }
            case "b1" -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = b.get(i) != 0; return Tensor.of(a, n); }
            default -> throw new OnnxException(where + ": .npy element type " + kind + size + " is not supported");
        }
    }

    /** Writes {@code t} as a version 1.0 .npy file (little-endian, C order), atomically. */
    public static void write(Path file, Tensor t) throws IOException {
        AtomicFiles.write(file, toBytes(t));
    }

    public static byte[] toBytes(Tensor t) {
        Tensor c = t.contiguous();
        String descr = switch (c.dtype()) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case BFLOAT16 -> "<f4"; // NumPy has no bfloat16: written as float32
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case BOOL -> "|b1";
        };
        StringBuilder shape = new StringBuilder("(");
        for (int s : c.shape()) shape.append(s).append(", ");
        if (c.dim() > 1) shape.setLength(shape.length() - 2);
        else if (c.dim() == 1) shape.setLength(shape.length() - 1);
        shape.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] body = switch (c.dtype()) {
            case BFLOAT16 -> TensorProtos.fromTensor("", c.to(DType.FLOAT32)).getRawData().toByteArray();
            default -> TensorProtos.fromTensor("", c).getRawData().toByteArray();
        };
        ByteBuffer out = ByteBuffer.allocate(10 + header.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.put(header.getBytes(StandardCharsets.ISO_8859_1)).put(body);
        return out.array();
    }
}
