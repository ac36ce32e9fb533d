package org.sinter.rl.remote;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed frames for request/reply protocols over a loopback socket: a frame is its
 * length (int, big-endian, counting the kind byte and the body), a kind byte, then the body in
 * {@link Wire}'s encodings. A reader gets the whole frame before decoding it, so a length outside
 * [1, {@link #MAX_BYTES}], a body shorter or longer than its fields, or the peer closing mid-frame
 * is an {@link IOException} naming the protocol, never a misaligned stream.
 */
public final class Frames {
    /** The largest frame (256 MiB). */
    public static final int MAX_BYTES = 1 << 28;

    /** Writes a frame's body. */
    public interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a frame's body. */
    public interface Decoder<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** A received frame: its kind and its body. */
    public record Frame(String protocol, int kind, DataInputStream body) {
        /** Decodes the body, which must hold exactly the fields {@code decoder} reads. */
        public <T> T decode(Decoder<T> decoder) throws IOException {
            T value;
            try {
                value = decoder.read(body);
            } catch (EOFException e) {
                throw new IOException(protocol + ": a frame of kind " + kind + " ends before its fields do", e);
            }
            int left = body.available();
            if (left != 0) throw new IOException(protocol + ": a frame of kind " + kind + " has " + left + " bytes past its fields");
            return value;
        }
    }

    private Frames() {}

    /** Writes one frame and flushes. */
    public static void write(DataOutputStream out, int kind, Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(bytes);
        d.writeByte(kind);
        body.write(d);
        d.flush();
        if (bytes.size() > MAX_BYTES) throw new IOException("frame of kind " + kind + " is " + bytes.size() + " bytes, over the limit of " + MAX_BYTES);
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        out.flush();
    }

    /**
     * Reads one frame of {@code protocol}; returns null when the peer closed the connection
     * between frames. A short body or an impossible length is an {@link IOException}.
     */
    public static Frame read(DataInputStream in, String protocol) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        if (length < 1 || length > MAX_BYTES) throw new IOException(protocol + ": frame length " + length + " is outside [1, " + MAX_BYTES + "]");
        byte[] bytes = new byte[length];
        try {
            in.readFully(bytes);
        } catch (EOFException e) {
            throw new IOException(protocol + ": the peer closed the connection in the middle of a " + length + "-byte frame", e);
        }
        DataInputStream body = new DataInputStream(new ByteArrayInputStream(bytes));
        return new Frame(protocol, body.readUnsignedByte(), body);
    }
}
