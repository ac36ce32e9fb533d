package org.sinter.distributed.ps;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The parameter server's wire format: big-endian frames over one TCP connection per worker and
 * server. A worker opens with {@code HELLO worker version} and learns the shard's size; then
 * {@code PULL worker clock} is answered with the shard's version and values, and
 * {@code PUSH worker clock n values} with {@code OK}. Any refusal is {@code ERROR message}.
 */
final class PsProtocol {
    private PsProtocol() {}

    static final int VERSION = 1;
    static final byte HELLO = 1, PULL = 2, PUSH = 3, OK = 4, ERROR = 5, VALUES = 6;
    /** The largest shard a frame may carry (elements), so a corrupt length cannot allocate gigabytes. */
    static final int MAX_ELEMENTS = 1 << 28;

    static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        ByteBuffer b = ByteBuffer.allocate(v.length * 4);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    static float[] readFloats(DataInputStream in, String who) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ELEMENTS) throw new IOException(who + ": frame announces " + n + " values (limit " + MAX_ELEMENTS + ")");
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
        return v;
    }
}
