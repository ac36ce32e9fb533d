package org.sinter.automl.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket, the JDK's client): navigate, evaluate
 * JavaScript in the page, click, capture a screenshot. Only what the web UI test needs; every wait has a generous hang
 * guard and no timing is asserted.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Duration HANG_GUARD = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The browser binary: $CHROMIUM, else Debian's /usr/bin/chromium; empty when neither exists. */
    static Optional<Path> find() {
        String env = System.getenv("CHROMIUM");
        for (String candidate : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser"})
            if (candidate != null && Files.isExecutable(Path.of(candidate))) return Optional.of(Path.of(candidate));
        return Optional.empty();
    }

    HeadlessChromium(Path binary, Path profile) throws Exception {
        process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--window-size=1280,1100",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive()) throw new IOException("chromium exited with " + process.exitValue() + " before opening DevTools");
            if (System.nanoTime() > deadline) throw new IOException("chromium did not open DevTools within " + HANG_GUARD);
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).getFirst().trim());
        HttpClient http = HttpClient.newHttpClient();
        String page = null;
        while (page == null) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) if ("page".equals(t.path("type").asText())) page = t.get("webSocketDebuggerUrl").asText();
            if (page == null) {
                if (System.nanoTime() > deadline) throw new IOException("chromium shows no page target");
                Thread.sleep(100);
            }
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new Listener()).get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        call("Page.enable", JSON.createObjectNode());
        call("Runtime.enable", JSON.createObjectNode());
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(partial.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(message.get("id").asInt());
                        if (f != null) f.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(message.toString(), true).get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) throw new IOException(method + ": " + r.get("error"));
        return r.get("result");
    }

    void navigate(URI uri) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", uri.toString()));
    }

    /** The value of a JavaScript expression in the page (awaited if a promise; null while the page is loading). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true));
        if (r.has("exceptionDetails")) return null; // e.g. the document not there yet
        return r.path("result").path("value");
    }

    /** Evaluates {@code expression} until {@code done} accepts its value; the hang guard fails the wait, speed does not. */
    JsonNode waitFor(String expression, Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + HANG_GUARD.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = evaluate(expression);
            if (last != null && !last.isMissingNode() && done.test(last)) return last;
            Thread.sleep(100);
        }
        throw new AssertionError("the page never showed " + what + " within " + HANG_GUARD + "; last value of `" + expression + "`: " + last);
    }

    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")).get("data").asText());
    }

    @Override
    public void close() throws IOException {
        try {
            socket.abort();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
