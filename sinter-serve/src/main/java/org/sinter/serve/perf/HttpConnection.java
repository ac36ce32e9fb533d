package org.sinter.serve.perf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One HTTP/1.1 keep-alive connection of the load generator: a blocking socket that sends requests
 * encoded once in advance ({@link #encode}) and parses just enough of each answer to account for it
 * ({@link ResponseParser}: status line, {@code Content-Length} or {@code chunked} body, {@code
 * Connection: close}). The open loop and the metadata look-up use it; the closed loop runs the same
 * parser on non-blocking sockets ({@link ClosedLoop}). It exists
 * because the JDK's {@code HttpClient} spends more CPU per request (a selector thread, futures,
 * header maps, body subscribers) than the server it measures on a small machine, which made {@code
 * sinter perf} report the client's limit instead of the server's (issue 12's bar: within 10% of wrk,
 * which is also one socket per connection with pre-built requests). Not thread-safe: one user, one
 * connection, like one wrk connection.
 *
 * <p>When the server closes the connection (it answered {@code Connection: close}, or an idle
 * keep-alive connection was closed before the next request), the next exchange opens a new socket; a
 * request whose answer never started on a <em>reused</em> connection is sent once more on a fresh one,
 * as browsers and wrk do, since the server cannot have read it. Any other failure is an {@link
 * IOException} naming what was wrong, and the connection is closed.
 */
public final class HttpConnection implements AutoCloseable {
    /** An answer: its status and, when asked for, its body (with chunked framing removed). */
    public record Response(int status, byte[] body) {}

    private final InetSocketAddress address;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Exchanges completed on the current socket: a reused socket may have been closed while idle. */
    private int usesOfSocket;
    private final ResponseParser parser;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;

    /** A connection to {@code target}'s host and port (opened on first use); reads time out after {@code timeoutMillis}. */
    public HttpConnection(URI target, int timeoutMillis) {
        if (!"http".equalsIgnoreCase(target.getScheme())) {
            throw new IllegalArgumentException("only http:// URLs are supported, got " + target);
        }
        if (target.getHost() == null) throw new IllegalArgumentException("no host in " + target);
        this.address = new InetSocketAddress(target.getHost(), target.getPort() == -1 ? 80 : target.getPort());
        this.timeoutMillis = timeoutMillis;
        this.parser = new ResponseParser(address.toString());
    }

    /**
     * The bytes of one request for {@code target} (its path and query), sent as they are on every
     * exchange. {@code body} may be null for a request without one; {@code contentType} is sent when
     * not null; {@code extraHeaders} are name, value pairs sent after it.
     */
    public static byte[] encode(String method, URI target, String contentType, byte[] body, String... extraHeaders) {
        if (extraHeaders.length % 2 != 0) throw new IllegalArgumentException("extraHeaders must be name, value pairs");
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) path += "?" + target.getRawQuery();
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.getHost());
        if (target.getPort() != -1) head.append(':').append(target.getPort());
        head.append("\r\n");
        if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
        for (int i = 0; i < extraHeaders.length; i += 2) head.append(extraHeaders[i]).append(": ").append(extraHeaders[i + 1]).append("\r\n");
        if (body != null) head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) return h;
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** Sends {@code request} (from {@link #encode}) and reads its answer, keeping the body when {@code keepBody}. */
    public Response exchange(byte[] request, boolean keepBody) throws IOException {
        boolean reused = socket != null && usesOfSocket > 0;
        try {
            try {
                return attempt(request, keepBody);
            } catch (StaleConnectionException e) {
                close();
                if (!reused) throw e;
                return attempt(request, keepBody);
            }
        } catch (StaleConnectionException e) {
            close();
            throw new IOException("the server at " + address + " closed the connection without answering", e);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The status of {@code request}'s answer, its body read and dropped. */
    public int send(byte[] request) throws IOException {
        return exchange(request, false).status();
    }

    private Response attempt(byte[] request, boolean keepBody) throws IOException {
        if (socket == null) connect();
        try {
            out.write(request);
            out.flush();
        } catch (SocketException e) {
            throw new StaleConnectionException(e);
        }
        parser.reset(keepBody);
        while (true) {
            if (pos < lim) pos += parser.feed(buf, pos, lim - pos);
            if (parser.done()) break;
            try {
                if (fill() <= 0) parser.endOfStream();
            } catch (SocketException | ResponseParser.NoAnswerException e) {
                if (parser.started()) throw e;
                throw new StaleConnectionException(e);
            }
            if (parser.done()) break;
        }
        usesOfSocket++;
        Response r = new Response(parser.status(), parser.body());
        if (parser.closeAfter()) close();
        return r;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(address, timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        usesOfSocket = 0;
        pos = 0;
        lim = 0;
    }

    /** Reads more bytes into an emptied buffer; -1 at the end of the stream. */
    private int fill() throws IOException {
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n > 0) lim = n;
        return n;
    }

    /** The connection was found closed before the answer began. */
    private static final class StaleConnectionException extends IOException {
        private static final long serialVersionUID = 1L;

        StaleConnectionException(Throwable cause) {
            super("connection closed before the answer began", cause);
        }
    }

    @Override
    public void close() {
        if (socket == null) return;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that is already broken
        }
        socket = null;
        in = null;
        out = null;
    }
}
