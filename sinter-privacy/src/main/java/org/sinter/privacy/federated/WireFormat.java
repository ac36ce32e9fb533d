package org.sinter.privacy.federated;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sinter.privacy.secagg.KeyShare;
import org.sinter.privacy.secagg.PublicKeys;

/**
 * The bytes of a {@link Message}: a frame is a 4-byte big-endian payload length, then the payload:
 * the magic {@code "SFL1"}, an 8-byte sequence number (a reply carries its request's, so a late
 * reply to an abandoned request is recognised and dropped), a one-byte message tag, and the fields
 * in order. Integers are big-endian; vectors are a 4-byte count then raw little-endian float32 or
 * int32 elements (as safetensors stores tensor data), byte strings a 4-byte length then the bytes.
 * No Java serialization: a decoder reads only what the tag says and checks every length against
 * the frame, so a malformed or hostile frame fails with a message naming the field.
 */
public final class WireFormat {
    /** Larger frames are refused before anything is allocated (a 2^26-element vector fits). */
    public static final int MAX_FRAME = 1 << 28;
    private static final int MAGIC = 0x53464c31; // "SFL1"

    private WireFormat() {}

    /** A decoded frame. */
    public record Frame(long sequence, Message message) {}

    public static void write(OutputStream out, long sequence, Message m) throws IOException {
        byte[] payload = encode(sequence, m);
        var d = new DataOutputStream(out);
        d.writeInt(payload.length);
        d.write(payload);
        d.flush();
    }

    /** Reads one frame; {@link EOFException} at a clean end of stream before a frame starts. */
    public static Frame read(InputStream in) throws IOException {
        var d = new DataInputStream(in);
        int length = d.readInt();
        if (length < 13 || length > MAX_FRAME) throw new WireFormatException("frame length " + length + " outside 13.." + MAX_FRAME);
        byte[] payload = new byte[length];
        d.readFully(payload);
        return decode(payload);
    }

    public static byte[] encode(long sequence, Message m) {
        var bytes = new ByteArrayOutputStream();
        var d = new DataOutputStream(bytes);
        try {
            d.writeInt(MAGIC);
            d.writeLong(sequence);
            switch (m) {
                case Message.Hello h -> { d.writeByte(1); d.writeInt(h.clientId()); d.writeInt(h.examples()); }
                case Message.TrainRequest t -> {
                    d.writeByte(2);
                    var p = t.plan();
                    d.writeLong(p.round()); d.writeBoolean(p.secure()); d.writeInt(p.threshold()); d.writeDouble(p.scale());
                    d.writeInt(p.maxSummands()); d.writeDouble(p.weightReference()); d.writeDouble(p.clipNorm());
                    floats(d, t.global());
                }
                case Message.Update u -> { d.writeByte(3); d.writeLong(u.round()); ints(d, u.encoded()); }
                case Message.Keys k -> { d.writeByte(4); d.writeLong(k.round()); keys(d, k.keys()); }
                case Message.ShareKeysRequest s -> {
                    d.writeByte(5); d.writeLong(s.round()); d.writeInt(s.advertised().size());
                    for (var e : new TreeMap<>(s.advertised()).entrySet()) { d.writeInt(e.getKey()); keys(d, e.getValue()); }
                }
                case Message.Shares s -> { d.writeByte(6); d.writeLong(s.round()); byteMap(d, s.encrypted()); }
                case Message.MaskRequest r -> { d.writeByte(7); d.writeLong(r.round()); byteMap(d, r.incoming()); }
                case Message.MaskedInput mi -> { d.writeByte(8); d.writeLong(mi.round()); ints(d, mi.masked()); }
                case Message.UnmaskRequest r -> {
                    d.writeByte(9); d.writeLong(r.round()); d.writeInt(r.survivors().size());
                    for (int s : new TreeSet<>(r.survivors())) d.writeInt(s);
                }
                case Message.UnmaskShares s -> {
                    d.writeByte(10); d.writeLong(s.round()); d.writeInt(s.shares().size());
                    for (KeyShare k : s.shares()) { d.writeInt(k.owner()); d.writeByte(k.kind().ordinal()); bytes(d, k.share()); }
                }
                case Message.Silence _ -> d.writeByte(11);
                case Message.Failure f -> { d.writeByte(12); bytes(d, f.reason().getBytes(StandardCharsets.UTF_8)); }
                case Message.Shutdown _ -> d.writeByte(13);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static Frame decode(byte[] payload) throws WireFormatException {
        var b = ByteBuffer.wrap(payload);
        var r = new Reader(b);
        int magic = r.i32("magic");
        if (magic != MAGIC) throw new WireFormatException(String.format("bad magic 0x%08x (not a Sinter federated frame)", magic));
        long seq = r.i64("sequence");
        int tag = r.u8("tag");
        Message m = switch (tag) {
            case 1 -> new Message.Hello(r.i32("Hello.clientId"), r.i32("Hello.examples"));
            case 2 -> {
                var plan = new Message.RoundPlan(r.i64("round"), r.bool("secure"), r.i32("threshold"), r.f64("scale"), r.i32("maxSummands"),
                        r.f64("weightReference"), r.f64("clipNorm"));
                yield new Message.TrainRequest(plan, r.floats("TrainRequest.global"));
            }
            case 3 -> new Message.Update(r.i64("round"), r.ints("Update.encoded"));
            case 4 -> new Message.Keys(r.i64("round"), r.keys("Keys"));
            case 5 -> {
                long round = r.i64("round");
                int n = r.count("ShareKeysRequest.advertised", 8);
                Map<Integer, PublicKeys> map = new TreeMap<>();
                for (int i = 0; i < n; i++) map.put(r.i32("ShareKeysRequest client id"), r.keys("ShareKeysRequest.advertised"));
                yield new Message.ShareKeysRequest(round, map);
            }
            case 6 -> new Message.Shares(r.i64("round"), r.byteMap("Shares.encrypted"));
            case 7 -> new Message.MaskRequest(r.i64("round"), r.byteMap("MaskRequest.incoming"));
            case 8 -> new Message.MaskedInput(r.i64("round"), r.ints("MaskedInput.masked"));
            case 9 -> {
                long round = r.i64("round");
                int n = r.count("UnmaskRequest.survivors", 4);
                Set<Integer> s = new TreeSet<>();
                for (int i = 0; i < n; i++) s.add(r.i32("UnmaskRequest survivor"));
                yield new Message.UnmaskRequest(round, s);
            }
            case 10 -> {
                long round = r.i64("round");
                int n = r.count("UnmaskShares.shares", 9);
                List<KeyShare> list = new ArrayList<>(n);
                KeyShare.Kind[] kinds = KeyShare.Kind.values();
                for (int i = 0; i < n; i++) {
                    int owner = r.i32("UnmaskShares owner");
                    int kind = r.u8("UnmaskShares kind");
                    if (kind >= kinds.length) throw new WireFormatException("UnmaskShares kind " + kind + " unknown");
                    list.add(new KeyShare(owner, kinds[kind], r.bytes("UnmaskShares share")));
                }
                yield new Message.UnmaskShares(round, list);
            }
            case 11 -> new Message.Silence();
            case 12 -> new Message.Failure(new String(r.bytes("Failure.reason"), StandardCharsets.UTF_8));
            case 13 -> new Message.Shutdown();
            default -> throw new WireFormatException("unknown message tag " + tag);
        };
        if (b.hasRemaining()) throw new WireFormatException(b.remaining() + " trailing bytes after " + m.getClass().getSimpleName());
        return new Frame(seq, m);
    }

    private static void floats(DataOutputStream d, float[] v) throws IOException {
        d.writeInt(v.length);
        var buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        d.write(buf.array());
    }

    private static void ints(DataOutputStream d, int[] v) throws IOException {
        d.writeInt(v.length);
        var buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asIntBuffer().put(v);
        d.write(buf.array());
    }

    private static void bytes(DataOutputStream d, byte[] v) throws IOException {
        d.writeInt(v.length);
        d.write(v);
    }

    private static void keys(DataOutputStream d, PublicKeys k) throws IOException {
        bytes(d, k.cipherKey());
        bytes(d, k.maskKey());
    }

    private static void byteMap(DataOutputStream d, Map<Integer, byte[]> m) throws IOException {
        d.writeInt(m.size());
        for (var e : new TreeMap<>(m).entrySet()) {
            d.writeInt(e.getKey());
            bytes(d, e.getValue());
        }
    }

    /** Bounds-checked reads naming the field that runs past the frame. */
    private record Reader(ByteBuffer b) {
        private void need(int n, String field) throws WireFormatException {
            if (n < 0 || b.remaining() < n) throw new WireFormatException(field + " needs " + n + " bytes, " + b.remaining() + " left in the frame");
        }

        int i32(String f) throws WireFormatException { need(4, f); return b.getInt(); }
        long i64(String f) throws WireFormatException { need(8, f); return b.getLong(); }
        double f64(String f) throws WireFormatException { need(8, f); return b.getDouble(); }
        int u8(String f) throws WireFormatException { need(1, f); return b.get() & 0xff; }

        boolean bool(String f) throws WireFormatException {
            int v = u8(f);
            if (v > 1) throw new WireFormatException(f + " is " + v + ", not a boolean");
            return v == 1;
        }

        /** A count of items at least {@code minBytes} each, checked against what is left. */
        int count(String f, int minBytes) throws WireFormatException {
            int n = i32(f + " count");
            if (n < 0 || (long) n * minBytes > b.remaining()) throw new WireFormatException(f + " count " + n + " does not fit the " + b.remaining() + " bytes left");
            return n;
        }

        float[] floats(String f) throws WireFormatException {
            int n = count(f, 4);
            float[] v = new float[n];
            b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        int[] ints(String f) throws WireFormatException {
            int n = count(f, 4);
            int[] v = new int[n];
            b.slice().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
            b.position(b.position() + 4 * n);
            return v;
        }

        byte[] bytes(String f) throws WireFormatException {
            int n = count(f, 1);
            byte[] v = new byte[n];
            b.get(v);
            return v;
        }

        PublicKeys keys(String f) throws WireFormatException {
            return new PublicKeys(bytes(f + ".cipherKey"), bytes(f + ".maskKey"));
        }

        Map<Integer, byte[]> byteMap(String f) throws WireFormatException {
            int n = count(f, 8);
            Map<Integer, byte[]> m = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                int k = i32(f + " key");
                m.put(k, bytes(f + " value"));
            }
            return m;
        }
    }
}
