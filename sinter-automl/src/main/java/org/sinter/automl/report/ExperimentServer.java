package org.sinter.automl.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.StoredTrial;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * {@code sinter hpo serve}: a live view of one experiment, read from its SQLite journal while the manager (another
 * process) writes it. Bound to the loopback interface only. The page ({@code live.html}) polls:
 * <ul>
 *   <li>{@code GET /} the page; {@code GET /report} the static report ({@link ExperimentReport}) of this moment;</li>
 *   <li>{@code GET /api/experiment} the settings and every trial with its intermediate results and its place on the
 *       parallel-coordinates axes, as JSON;</li>
 *   <li>{@code GET /api/trials/<id>/log?offset=N} a trial's log from byte {@code N} (at most 256 KiB per call, so the
 *       page tails long logs), with the file's length in {@code X-Log-Length} and
 *       the offset after the returned bytes in {@code X-Log-End}.</li>
 * </ul>
 * A request that fails gets a status and a one-line reason (a bad trial id or offset: 400; no such trial or path: 404;
 * not GET: 405; the database unreadable: 500), never a dropped connection; handlers run on a small pool, so one slow
 * request does not stall the others.
 */
public final class ExperimentServer implements AutoCloseable {
    static final int LOG_CHUNK = 256 * 1024;
    private static final Pattern LOG_PATH = Pattern.compile("/api/trials/([^/]+)/log");

    private final HttpServer http;
    private final ExecutorService pool;
    private final ExperimentStore store;
    private final String experiment;
    private final Path logDirectory;

    private ExperimentServer(HttpServer http, ExecutorService pool, ExperimentStore store, String experiment, Path logDirectory) {
        this.http = http;
        this.pool = pool;
        this.store = store;
        this.experiment = experiment;
        this.logDirectory = logDirectory;
    }

    /**
     * Serves {@code experiment} of the database {@code db} on {@code 127.0.0.1:port} (0: any free port, see
     * {@link #port()}); trial logs are read from {@code logDirectory/trial-<id>.log}.
     */
    public static ExperimentServer start(Path db, String experiment, Path logDirectory, int port) throws IOException {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        if (!Files.isRegularFile(db)) throw new IllegalArgumentException("no experiment database at " + db);
        ExperimentStore store = ExperimentStore.open(db);
        try {
            if (store.experiment(experiment).isEmpty())
                throw new IllegalArgumentException("no experiment '" + experiment + "' in " + db + "; `sinter hpo list --db " + db + "` lists them");
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "hpo-serve");
                t.setDaemon(true);
                return t;
            });
            ExperimentServer server = new ExperimentServer(http, pool, store, experiment, logDirectory);
            http.createContext("/", server::handle);
            http.setExecutor(pool);
            http.start();
            return server;
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address, from the socket actually bound (a loopback address). */
    public URI uri() {
        return URI.create("http://" + http.getAddress().getAddress().getHostAddress() + ":" + port() + "/");
    }

    private void handle(HttpExchange ex) {
        try (ex) {
            try {
                if (!"GET".equals(ex.getRequestMethod())) {
                    send(ex, 405, "text/plain", "only GET is served here, not " + ex.getRequestMethod());
                    return;
                }
                String path = ex.getRequestURI().getPath();
                Matcher log = LOG_PATH.matcher(path);
                if (path.equals("/") || path.equals("/index.html")) send(ex, 200, "text/html", page());
                else if (path.equals("/api/experiment")) send(ex, 200, "application/json", experimentJson());
                else if (path.equals("/report")) send(ex, 200, "text/html", report());
                else if (log.matches()) log(ex, log.group(1), ex.getRequestURI().getRawQuery());
                else send(ex, 404, "text/plain", "no such page: " + path);
            } catch (BadRequest e) {
                send(ex, e.status, "text/plain", e.getMessage());
            } catch (Exception e) {
                send(ex, 500, "text/plain", "cannot read experiment '" + experiment + "': " + e.getMessage());
            }
        } catch (IOException closedByClient) {
            // The browser went away mid-response: nothing to tell it.
        }
    }

    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static String page() throws IOException {
        try (InputStream in = ExperimentServer.class.getResourceAsStream("live.html")) {
            if (in == null) throw new IOException("live.html is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String report() throws IOException {
        ExperimentSpec spec = spec();
        return ExperimentReport.html(spec, store.trials(experiment));
    }

    private ExperimentSpec spec() throws IOException {
        return store.experiment(experiment).orElseThrow(() -> new IOException("experiment '" + experiment + "' is gone from " + store.file()));
    }

    String experimentJson() throws IOException {
        ExperimentSpec spec = spec();
        List<StoredTrial> trials = store.trials(experiment);
        ObjectNode root = SearchSpaceJson.MAPPER.createObjectNode();
        ObjectNode e = root.putObject("experiment");
        e.put("name", spec.name()).put("tuner", spec.tuner()).put("seed", spec.seed())
                .put("direction", spec.direction().name().toLowerCase(java.util.Locale.ROOT)).put("maxTrials", spec.maxTrials());
        e.put("command", String.join(" ", spec.command()));
        e.set("searchSpace", SearchSpaceJson.MAPPER.readTree(spec.searchSpaceJson()));
        // The parallel-coordinates plot's axes: each top-level parameter, a trial's value placed on it (0 bottom, 1 top)
        // as the static report places it (log axes for the log kinds, one position per choice option).
        org.sinter.automl.space.SearchSpace space = SearchSpaceJson.parse(spec.searchSpaceJson());
        List<String> axisNames = new java.util.ArrayList<>(space.parameters().keySet());
        ArrayNode axisList = e.putArray("parameterAxes");
        axisNames.forEach(axisList::add);
        ArrayNode list = root.putArray("trials");
        for (StoredTrial t : trials) {
            ObjectNode n = list.addObject();
            n.put("id", t.id()).put("status", t.status()).put("attempts", t.attempts()).put("started", t.startedMillis())
                    .put("ended", t.endedMillis()).put("endSequence", t.endSequence());
            if (Double.isFinite(t.value())) n.put("value", t.value());
            else n.putNull("value");
            if (t.error() != null) n.put("error", t.error());
            n.set("parameters", SearchSpaceJson.MAPPER.valueToTree(t.parameters()));
            ArrayNode at = n.putArray("axes");
            for (String name : axisNames) at.add(ExperimentReport.position(space.parameters().get(name), t.parameters().get(name)));
            ArrayNode iv = n.putArray("intermediates");
            for (double v : t.intermediates()) {
                if (Double.isFinite(v)) iv.add(v);
                else iv.addNull();
            }
            if (t.budget() != null)
                n.putObject("budget").put("config", t.budget().config()).put("rung", t.budget().rung()).put("budget", t.budget().budget());
        }
        root.put("now", System.currentTimeMillis());
        return root.toString();
    }

    private void log(HttpExchange ex, String idText, String query) throws IOException, BadRequest {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw new BadRequest(400, "trial id must be an integer, got '" + idText + "'");
        }
        long offset = 0;
        if (query != null) {
            for (String kv : query.split("&")) {
                if (!kv.startsWith("offset=")) continue;
                try {
                    offset = Long.parseLong(kv.substring(7));
                } catch (NumberFormatException e) {
                    throw new BadRequest(400, "offset must be a byte count, got '" + kv.substring(7) + "'");
                }
                if (offset < 0) throw new BadRequest(400, "offset must be >= 0, got " + offset);
            }
        }
        Path file = logDirectory.resolve("trial-" + id + ".log");
        if (!Files.isRegularFile(file)) {
            boolean known = store.trials(experiment).stream().anyMatch(t -> t.id() == id);
            if (!known) throw new BadRequest(404, "no trial " + id + " in experiment '" + experiment + "'");
            ex.getResponseHeaders().set("X-Log-Length", "0");
            ex.getResponseHeaders().set("X-Log-End", "0");
            send(ex, 200, "text/plain", ""); // started, nothing printed yet
            return;
        }
        byte[] chunk;
        long length, from;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            length = f.length();
            from = Math.min(offset, length);
            chunk = new byte[(int) Math.min(LOG_CHUNK, length - from)];
            f.seek(from);
            f.readFully(chunk);
        }
        ex.getResponseHeaders().set("X-Log-Length", Long.toString(length));
        ex.getResponseHeaders().set("X-Log-End", Long.toString(from + chunk.length));
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, chunk.length == 0 ? -1 : chunk.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(chunk);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        pool.shutdownNow();
        store.close();
    }
}
