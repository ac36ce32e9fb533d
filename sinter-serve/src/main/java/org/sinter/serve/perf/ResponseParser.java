package org.sinter.serve.perf;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads HTTP/1.1 answers from bytes as they arrive, in whatever pieces the socket hands over, so that
 * a blocking connection ({@link HttpConnection}) and the non-blocking event loops ({@link ClosedLoop})
 * share one parser. It reads just what accounting needs: the status line, {@code Content-Length} or
 * {@code chunked} framing (chunk extensions and trailers skipped), {@code Connection: close}, bodies
 * that run to the end of the connection, and interim 1xx answers (skipped). Every malformed answer is
 * an {@link IOException} naming the peer and what was wrong.
 */
final class ResponseParser {
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_BODY_BYTES = 256 * 1024 * 1024;

    private enum State { STATUS, HEADERS, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, TO_CLOSE, DONE }

    private final String peer;
    private State state = State.STATUS;
    private byte[] line = new byte[256];
    private int lineLength;
    private int headerBytes;
    private boolean started;
    private int status;
    private long contentLength;
    private boolean chunked;
    private boolean close;
    private long remaining;
    private long bodyBytes;
    private ByteArrayOutputStream body;

    /** @param peer the server's address, for messages */
    ResponseParser(String peer) {
        this.peer = peer;
    }

    /** Gets ready for the next answer; its body is kept when {@code keepBody}. */
    void reset(boolean keepBody) {
        state = State.STATUS;
        started = false;
        body = keepBody ? new ByteArrayOutputStream() : null;
        beginHead();
    }

    private void beginHead() {
        lineLength = 0;
        headerBytes = 0;
        status = 0;
        contentLength = -1;
        chunked = false;
        close = false;
        bodyBytes = 0;
    }

    /**
     * Consumes bytes from {@code b[off, off + len)} up to the end of the current answer and returns how
     * many it took; {@link #done()} then says whether the answer is complete (bytes after it are left
     * for the next one).
     */
    int feed(byte[] b, int off, int len) throws IOException {
        int i = off;
        int end = off + len;
        if (len > 0) started = true;
        while (i < end && state != State.DONE) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int k = (int) Math.min(remaining, end - i);
                    keep(b, i, k);
                    i += k;
                    remaining -= k;
                    if (remaining == 0) state = state == State.BODY ? State.DONE : State.CHUNK_END;
                }
                case TO_CLOSE -> {
                    bodyBytes += end - i;
                    if (bodyBytes > MAX_BODY_BYTES) throw new IOException("an answer from " + peer + " is over " + MAX_BODY_BYTES + " bytes");
                    keep(b, i, end - i);
                    i = end;
                }
                default -> {
                    int nl = -1;
                    for (int j = i; j < end; j++) {
                        if (b[j] == '\n') {
                            nl = j;
                            break;
                        }
                    }
                    int upTo = nl < 0 ? end : nl;
                    if (lineLength + upTo - i > MAX_HEADER_BYTES) throw new IOException("a line of the answer from " + peer + " exceeds " + MAX_HEADER_BYTES + " bytes");
                    if (lineLength + upTo - i > line.length) line = java.util.Arrays.copyOf(line, Math.min(MAX_HEADER_BYTES, 2 * (lineLength + upTo - i)));
                    System.arraycopy(b, i, line, lineLength, upTo - i);
                    lineLength += upTo - i;
                    i = upTo;
                    if (nl >= 0) {
                        i++;
                        int n = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                        lineLength = 0;
                        onLine(new String(line, 0, n, StandardCharsets.ISO_8859_1));
                    }
                }
            }
        }
        return i - off;
    }

    /** Whether the current answer is complete. */
    boolean done() {
        return state == State.DONE;
    }

    /** Whether any byte of the current answer has arrived (an answer that never began may be sent again). */
    boolean started() {
        return started;
    }

    /**
     * The connection ended: completes a body that runs to the close, or throws — a {@link
     * NoAnswerException} when not a byte of the answer came, otherwise naming where it was cut.
     */
    void endOfStream() throws IOException {
        switch (state) {
            case DONE -> { }
            case TO_CLOSE -> state = State.DONE;
            case STATUS -> {
                if (!started) throw new NoAnswerException();
                throw new EOFException("the connection to " + peer + " closed in the middle of the answer's head");
            }
            case HEADERS -> throw new EOFException("the connection to " + peer + " closed in the middle of the answer's head");
            case BODY -> throw new EOFException("the connection to " + peer + " closed after " + (contentLength - remaining) + " of "
                    + contentLength + " body bytes");
            default -> throw new EOFException("the connection to " + peer + " closed in the middle of a chunked answer");
        }
    }

    int status() {
        return status;
    }

    /** The body of a complete answer, when kept (empty for 204/304), else null. */
    byte[] body() {
        return body == null ? null : body.toByteArray();
    }

    /** Whether the server will close the connection after this answer. */
    boolean closeAfter() {
        return close;
    }

    private void keep(byte[] b, int off, int n) {
        if (body != null) body.write(b, off, n);
    }

    private void onLine(String s) throws IOException {
        switch (state) {
            case STATUS -> {
                // "HTTP/1.1 200 OK": the version, a space, three digits.
                if (s.length() < 12 || !s.startsWith("HTTP/1.") || s.charAt(8) != ' ' || !Character.isDigit(s.charAt(9))
                        || !Character.isDigit(s.charAt(10)) || !Character.isDigit(s.charAt(11)) || (s.length() > 12 && s.charAt(12) != ' ')) {
                    throw new IOException("malformed HTTP status line from " + peer + ": '" + printable(s) + "'");
                }
                status = Integer.parseInt(s, 9, 12, 10);
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (s.isEmpty()) {
                    endOfHead();
                    return;
                }
                headerBytes += s.length() + 2;
                if (headerBytes > MAX_HEADER_BYTES) throw new IOException("the answer's headers from " + peer + " exceed " + MAX_HEADER_BYTES + " bytes");
                header(s);
            }
            case CHUNK_SIZE -> {
                int semi = s.indexOf(';');
                String hex = (semi >= 0 ? s.substring(0, semi) : s).trim();
                long size;
                try {
                    size = hex.isEmpty() ? -1 : Long.parseLong(hex, 16);
                } catch (NumberFormatException e) {
                    size = -1;
                }
                if (size < 0) throw new IOException("malformed chunk size from " + peer + ": '" + printable(s) + "'");
                bodyBytes += size;
                if (bodyBytes > MAX_BODY_BYTES) throw new IOException("a chunked answer from " + peer + " is over " + MAX_BODY_BYTES + " bytes");
                remaining = size;
                state = size == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_END -> {
                if (!s.isEmpty()) throw new IOException("a chunk from " + peer + " is not followed by CRLF");
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (s.isEmpty()) state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void header(String s) throws IOException {
        int colon = s.indexOf(':');
        if (colon <= 0) throw new IOException("malformed HTTP header line from " + peer + ": '" + printable(s) + "'");
        String name = s.substring(0, colon).trim();
        String value = s.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Length")) {
            try {
                contentLength = Long.parseLong(value);
            } catch (NumberFormatException e) {
                contentLength = -2;
            }
            if (contentLength < 0) throw new IOException("malformed Content-Length from " + peer + ": '" + printable(value) + "'");
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        } else if (name.equalsIgnoreCase("Connection")) {
            close = value.toLowerCase(Locale.ROOT).contains("close");
        }
    }

    private void endOfHead() throws IOException {
        // 1xx answers are interim: the real one follows.
        if (status >= 100 && status < 200) {
            beginHead();
            state = State.STATUS;
            return;
        }
        if (status == 204 || status == 304) {
            state = State.DONE;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength >= 0) {
            if (contentLength > MAX_BODY_BYTES) throw new IOException("an answer of " + contentLength + " bytes from " + peer + " is over the limit");
            remaining = contentLength;
            state = remaining == 0 ? State.DONE : State.BODY;
        } else {
            // Neither length nor chunks: the body runs to the end of the connection.
            close = true;
            state = State.TO_CLOSE;
        }
    }

    private static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The connection ended before a byte of the answer arrived. */
    static final class NoAnswerException extends IOException {
        private static final long serialVersionUID = 1L;

        NoAnswerException() {
            super("connection closed before the answer began");
        }
    }
}
