package org.sinter.serve.perf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers from a script, for testing {@link HttpConnection} against
 * framings and misbehaviour a real server would not produce on demand: connection {@code k} (counted
 * from 0) answers its requests with {@code script.get(k)}'s raw byte strings in turn and then closes;
 * {@link #READ_THEN_CLOSE} in a script reads a request and closes without answering it, as a server
 * whose idle timeout fired as the request arrived.
 * It records every request it read (head and body), so a test can check what the client sent.
 */
final class ScriptedHttpServer implements AutoCloseable {
    static final String READ_THEN_CLOSE = "<read the request, then close>";
    private final ServerSocket socket;
    private final List<List<String>> script;
    private final AtomicInteger accepted = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ScriptedHttpServer(List<List<String>> script) throws IOException {
        this.script = script;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    int connections() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                return;
            }
            int k = accepted.getAndIncrement();
            List<String> answers = k < script.size() ? script.get(k) : List.of();
            Thread.ofVirtual().start(() -> serve(s, answers));
        }
    }

    private void serve(Socket s, List<String> answers) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (String answer : answers) {
                String request = readRequest(in);
                if (request == null) return;
                requests.add(request);
                if (answer.equals(READ_THEN_CLOSE)) return;
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    /** A request's head and body (by Content-Length), or null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') break;
        }
        if (b == -1) return null;
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
