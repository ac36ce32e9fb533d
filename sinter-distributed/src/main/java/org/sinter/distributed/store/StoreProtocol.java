package org.sinter.distributed.store;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The wire format of PyTorch's {@code TCPStore} (c10d), so that a Sinter rank can use the store
 * that {@code torchrun}'s agent hosts on {@code MASTER_PORT}, and PyTorch can use Sinter's: a
 * request is a one-byte query type followed by its arguments; strings and byte vectors are a
 * little-endian 64-bit length and the bytes; integers are little-endian 64-bit. (PyTorch's
 * Python-side client writes every key with a leading {@code /}.)
 */
final class StoreProtocol {
    private StoreProtocol() {}

    // c10d::detail::QueryType, in declaration order.
    static final int SET = 0, COMPARE_SET = 1, GET = 2, ADD = 3, CHECK = 4, WAIT = 5, GETNUMKEYS = 6, WATCH_KEY = 7, DELETE_KEY = 8;
    static final int CHECK_READY = 0, CHECK_NOT_READY = 1;
    static final int STOP_WAITING = 0;
    /** A single vector longer than this is a corrupt stream, not a request. */
    static final long MAX_VALUE_BYTES = 1L << 30;

    static void writeLong(OutputStream out, long v) throws IOException {
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    static long readLong(DataInputStream in) throws IOException {
        byte[] b = new byte[8];
        in.readFully(b);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static void writeBytes(OutputStream out, byte[] v) throws IOException {
        writeLong(out, v.length);
        out.write(v);
    }

    static void writeString(OutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        long n = readLong(in);
        if (n < 0 || n > MAX_VALUE_BYTES) throw new IOException("store: bad value length " + n);
        byte[] b = new byte[(int) n];
        in.readFully(b);
        return b;
    }

    static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("store: connection closed");
        return b;
    }
}
