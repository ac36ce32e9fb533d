package org.sinter.serve.perf;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection of the load generator: a blocking socket that sends requests
 * encoded once in advance ({@link #encode}) and parses just enough of each answer to account for it
 * (status line, {@code Content-Length} or {@code chunked} body, {@code Connection: close}). It exists
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

    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int MAX_BODY_BYTES = 256 * 1024 * 1024;

    private final InetSocketAddress address;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    /** Exchanges completed on the current socket: a reused socket may have been closed while idle. */
    private int usesOfSocket;
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
    }

    /**
     * The bytes of one request for {@code target} (its path and query), sent as they are on every
     * exchange. {@code body} may be null for a request without one; {@code contentType} is sent when
     * not null.
     */
    public static byte[] encode(String method, URI target, String contentType, byte[] body) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        if (target.getRawQuery() != null) path += "?" + target.getRawQuery();
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(target.getHost());
        if (target.getPort() != -1) head.append(':').append(target.getPort());
        head.append("\r\n");
        if (contentType != null) head.append("Content-Type: ").append(contentType).append("\r\n");
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
        while (true) {
            int status = readStatusLine();
            Headers h = readHeaders();
            // 1xx answers are interim: the real one follows.
            if (status >= 100 && status < 200) continue;
            byte[] body = readBody(status, h, keepBody);
            usesOfSocket++;
            if (h.close) close();
            return new Response(status, body);
        }
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

    private int readStatusLine() throws IOException {
        String line;
        try {
            line = readLine(true);
        } catch (SocketException e) {
            throw new StaleConnectionException(e);
        }
        // "HTTP/1.1 200 OK": the version, a space, three digits.
        if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' '
                || !Character.isDigit(line.charAt(9)) || !Character.isDigit(line.charAt(10)) || !Character.isDigit(line.charAt(11))
                || (line.length() > 12 && line.charAt(12) != ' ')) {
            throw new IOException("malformed HTTP status line from " + address + ": '" + printable(line) + "'");
        }
        return Integer.parseInt(line, 9, 12, 10);
    }

    /** The few headers the exchange needs. */
    private static final class Headers {
        long contentLength = -1;
        boolean chunked;
        boolean close;
    }

    private Headers readHeaders() throws IOException {
        Headers h = new Headers();
        int total = 0;
        while (true) {
            String line = readLine(false);
            if (line.isEmpty()) return h;
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES) throw new IOException("the answer's headers from " + address + " exceed " + MAX_HEADER_BYTES + " bytes");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new IOException("malformed HTTP header line from " + address + ": '" + printable(line) + "'");
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    h.contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    h.contentLength = -2;
                }
                if (h.contentLength < 0) throw new IOException("malformed Content-Length from " + address + ": '" + printable(value) + "'");
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                h.chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                h.close = value.toLowerCase(Locale.ROOT).contains("close");
            }
        }
    }

    private byte[] readBody(int status, Headers h, boolean keep) throws IOException {
        if (status == 204 || status == 304) return keep ? new byte[0] : null;
        if (h.chunked) return readChunked(keep);
        if (h.contentLength >= 0) {
            if (h.contentLength > MAX_BODY_BYTES) throw new IOException("an answer of " + h.contentLength + " bytes from " + address + " is over the limit");
            return readExactly((int) h.contentLength, keep);
        }
        // Neither length nor chunks: the body runs to the end of the connection.
        h.close = true;
        ByteArrayOutputStream all = keep ? new ByteArrayOutputStream() : null;
        long n = 0;
        do {
            n += lim - pos;
            if (n > MAX_BODY_BYTES) throw new IOException("an answer from " + address + " is over " + MAX_BODY_BYTES + " bytes");
            if (all != null) all.write(buf, pos, lim - pos);
            pos = lim;
        } while (fill() > 0);
        return all == null ? null : all.toByteArray();
    }

    private byte[] readChunked(boolean keep) throws IOException {
        ByteArrayOutputStream all = keep ? new ByteArrayOutputStream() : null;
        long total = 0;
        while (true) {
            String line = readLine(false);
            int semi = line.indexOf(';');
            String hex = (semi >= 0 ? line.substring(0, semi) : line).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0 || hex.isEmpty()) throw new IOException("malformed chunk size from " + address + ": '" + printable(line) + "'");
            total += size;
            if (total > MAX_BODY_BYTES) throw new IOException("a chunked answer from " + address + " is over " + MAX_BODY_BYTES + " bytes");
            if (size == 0) {
                // Trailers, up to the empty line.
                while (!readLine(false).isEmpty()) {
                    // dropped
                }
                return all == null ? null : all.toByteArray();
            }
            byte[] chunk = readExactly((int) size, keep);
            if (all != null) all.write(chunk);
            if (!readLine(false).isEmpty()) throw new IOException("a chunk from " + address + " is not followed by CRLF");
        }
    }

    private byte[] readExactly(int n, boolean keep) throws IOException {
        byte[] body = keep ? new byte[n] : null;
        int done = 0;
        while (done < n) {
            if (pos == lim && fill() <= 0) {
                throw new EOFException("the connection to " + address + " closed after " + done + " of " + n + " body bytes");
            }
            int k = Math.min(n - done, lim - pos);
            if (body != null) System.arraycopy(buf, pos, body, done, k);
            pos += k;
            done += k;
        }
        return body;
    }

    /**
     * One line without its CRLF (a bare LF is accepted). {@code first}: the status line, where an end
     * of stream before any byte means the server closed the connection without answering.
     */
    private String readLine(boolean first) throws IOException {
        StringBuilder line = null;
        while (true) {
            if (pos == lim) {
                if (fill() <= 0) {
                    if (first && line == null) throw new StaleConnectionException(null);
                    throw new EOFException("the connection to " + address + " closed in the middle of the answer's head");
                }
            }
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    if (line == null) return s;
                    line.append(s);
                    int n = line.length();
                    if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
                    return line.toString();
                }
            }
            if (line == null) line = new StringBuilder();
            line.append(new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1));
            pos = lim;
            if (line.length() > MAX_HEADER_BYTES) throw new IOException("a line of the answer from " + address + " exceeds " + MAX_HEADER_BYTES + " bytes");
        }
    }

    /** Reads more bytes into an emptied buffer; -1 at the end of the stream. */
    private int fill() throws IOException {
        pos = 0;
        lim = 0;
        int n = in.read(buf, 0, buf.length);
        if (n > 0) lim = n;
        return n;
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
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
