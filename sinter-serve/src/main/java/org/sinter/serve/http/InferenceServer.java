package org.sinter.serve.http;

import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.sinter.serve.ServeException;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/**
 * The HTTP server: Jetty on virtual threads, routing the Open Inference Protocol, the repository
 * extension, {@code /metrics} and TorchServe's inference API. Every failure becomes a status with the protocol's {@code {"error": ...}} body; no
 * exception escapes to Jetty. Stopping lets in-flight requests finish first. An infer request holds
 * no thread while it waits for its batch: it is parsed on the thread that read it and answered from the
 * thread that finishes its batch; every other route runs on a virtual thread of its own.
 */
public final class InferenceServer implements AutoCloseable {
    /**
     * @param host address to bind (127.0.0.1 for loopback only, 0.0.0.0 in a container)
     * @param port 0 for any free port
     * @param maxBodyBytes larger bodies get 413 before being read
     * @param maxElements the most elements one tensor may hold
     * @param idleTimeoutMillis a connection that sends nothing for this long is closed (slow or abandoned clients)
     * @param accessLog receives one JSON line per request, or null for none
     */
    public record Options(String host, int port, int maxBodyBytes, long maxElements, long idleTimeoutMillis, Consumer<String> accessLog) {
        public static Options defaults() {
            return new Options("127.0.0.1", 8000, 64 << 20, 16L << 20, 30_000, null);
        }

        public Options withPort(int p) {
            return new Options(host, p, maxBodyBytes, maxElements, idleTimeoutMillis, accessLog);
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final Options options;
    private final ServerMetrics metrics;
    private final OipRoutes oip;
    private final RepositoryRoutes repositoryRoutes;
    private final TorchServeRoutes torchServe;
    private final InferenceService service;
    private final VirtualThreadPool threads;
    private volatile boolean ready;

    public InferenceServer(ModelRepository repository, ServerMetrics metrics, Options options) {
        this.options = options;
        this.metrics = metrics;
        this.service = new InferenceService(repository, metrics);
        this.oip = new OipRoutes(repository, service, new InferRequestParser(options.maxElements()), () -> ready);
        this.repositoryRoutes = new RepositoryRoutes(repository);
        this.torchServe = new TorchServeRoutes(service, () -> ready);
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("sinter-serve-http");
        this.threads = threads;
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // One selector per core (Jetty's default is half the cores): an infer request is parsed on the
        // thread that read it, so with one selector every request's parsing would share one core.
        connector = new ServerConnector(server, -1, Runtime.getRuntime().availableProcessors(), new HttpConnectionFactory(http));
        connector.setHost(options.host());
        connector.setPort(options.port());
        connector.setIdleTimeout(options.idleTimeoutMillis());
        server.addConnector(connector);
        // Non-blocking, so that Jetty calls it on the thread that read the request instead of starting a
        // virtual thread per request: the infer path never blocks (see accept), every other route is
        // handed to a virtual thread of its own.
        GracefulHandler graceful = new GracefulHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                accept(request, response, callback);
                return true;
            }
        });
        server.setHandler(graceful);
        server.setStopTimeout(30_000);
    }

    /** Starts listening; the server reports ready once started. */
    public InferenceServer start() throws Exception {
        server.start();
        ready = true;
        return this;
    }

    /** The inference path (batchers, metrics) that another front end, the gRPC one, shares. */
    public InferenceService service() {
        return service;
    }

    /** Whether the server is started and not stopping (the protocol's server readiness). */
    public boolean isReady() {
        return ready;
    }

    /** The port bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, lets in-flight requests finish (up to 30 s), then stops. */
    @Override
    public void close() {
        ready = false;
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server failed: " + e.getMessage(), e);
        }
    }

    private void accept(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        List<String> path;
        ModelPath target;
        try {
            path = segments(request.getHttpURI().getPath());
            target = ModelPath.of(path);
        } catch (ServeException e) {  // a malformed path segment or version
            send(request, response, callback, Reply.error(e.status, e.getMessage()), start);
            return;
        }
        long length = request.getLength();
        if (target != null && target.isInfer() && request.getMethod().equals("POST") && length >= 0 && length <= options.maxBodyBytes()) {
            // An infer request with a declared length takes no thread of its own: its body is read as it
            // arrives, parsed and queued on the thread that read it, and answered from the thread that
            // finishes its batch. (A virtual thread per request, parked on the batch and woken for the
            // answer, cost two hand-offs per request: docs/serving.md, "The MLP's bar".)
            Content.Source.asByteArrayAsync(request, options.maxBodyBytes(), Promise.Invocable.from(InvocationType.NON_BLOCKING, (body, unreadable) -> {
                if (unreadable != null) {
                    send(request, response, callback, Reply.error(400, "could not read the request body: " + unreadable.getMessage()), start);
                    return;
                }
                CompletableFuture<Reply> reply;
                try {
                    reply = oip.infer(target.model(), target.version(), new Call(request.getMethod(), path, request, options.maxBodyBytes(), body));
                } catch (RuntimeException | Error e) {
                    reply = CompletableFuture.failedFuture(e);
                }
                reply.whenComplete((r, failure) -> send(request, response, callback, r != null ? r : errorReply(failure), start));
            }));
            return;
        }
        // Every other route may block (a chunked body, loading a model): a virtual thread of its own.
        threads.execute(() -> {
            Reply reply;
            try {
                reply = route(new Call(request.getMethod(), path, request, options.maxBodyBytes()));
            } catch (RuntimeException | Error e) {
                reply = errorReply(e);
            }
            send(request, response, callback, reply, start);
        });
    }

    /** The protocol's error body for a failure: its status for a ServeException, 500 for anything else. */
    private static Reply errorReply(Throwable e) {
        if (e instanceof CompletionException && e.getCause() != null) e = e.getCause();
        if (e instanceof ServeException s) return Reply.error(s.status, s.getMessage());
        return Reply.error(500, "internal error: " + e);
    }

    private void send(Request request, Response response, Callback callback, Reply reply, long start) {
        try {
            response.setStatus(reply.status());
            // The body of a refused oversized request is left unread: the connection cannot be reused.
            if (reply.status() == 413) response.getHeaders().put(HttpHeader.CONNECTION, "close");
            if (reply.contentType() != null) response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
        } catch (RuntimeException | Error e) {
            callback.failed(e);  // on a thread of the batcher's: nothing above would see it
            return;
        }
        if (options.accessLog() != null) {
            options.accessLog().accept(String.format(Locale.ROOT,
                    "{\"time\":\"%s\",\"remote\":\"%s\",\"method\":\"%s\",\"path\":%s,\"status\":%d,\"bytes\":%d,\"duration_ms\":%.3f}",
                    java.time.Instant.now(), Request.getRemoteAddr(request), request.getMethod(), quote(request.getHttpURI().getPath()),
                    reply.status(), reply.body().length, (System.nanoTime() - start) / 1e6));
        }
    }

    private Reply route(Call c) {
        List<String> p = c.path;
        int n = p.size();
        if (n >= 1 && p.getFirst().equals("v2")) {
            if (n == 1) return get(c, oip::serverMetadata);
            if (n == 3 && p.get(1).equals("health") && p.get(2).equals("live")) return get(c, Reply::ok);
            if (n == 3 && p.get(1).equals("health") && p.get(2).equals("ready")) return get(c, oip::serverReady);
            if (n >= 3 && p.get(1).equals("models")) return model(c, ModelPath.of(p));
            if (n == 3 && p.get(1).equals("repository") && p.get(2).equals("index")) return post(c, () -> repositoryRoutes.index(c));
            if (n == 5 && p.get(1).equals("repository") && p.get(2).equals("models")) {
                if (p.get(4).equals("load")) return post(c, () -> repositoryRoutes.load(p.get(3)));
                if (p.get(4).equals("unload")) return post(c, () -> repositoryRoutes.unload(p.get(3)));
            }
        }
        if (n == 1 && p.getFirst().equals("metrics")) {
            return get(c, () -> new Reply(200, metrics.contentType(), metrics.scrape(), java.util.Map.of()));
        }
        if (n == 1 && p.getFirst().equals("ping")) return get(c, torchServe::ping);
        if ((n == 2 || n == 3) && p.getFirst().equals("predictions")) {
            if (!c.method.equals("POST") && !c.method.equals("PUT")) throw new ServeException(405, "use POST or PUT with the image as the body");
            return torchServe.predict(p.get(1), n == 3 ? version(p.get(2)) : null, c);
        }
        throw ServeException.notFound("no endpoint " + c.method + " /" + String.join("/", p));
    }

    /** {@code /v2/models/<m>[/versions/<v>][/ready|/infer]}. */
    private Reply model(Call c, ModelPath m) {
        if (m.rest().isEmpty()) return get(c, () -> oip.modelMetadata(m.model(), m.version()));
        if (m.rest().size() == 1 && m.rest().getFirst().equals("ready")) return get(c, () -> oip.modelReady(m.model(), m.version()));
        if (m.isInfer()) return post(c, () -> answer(oip.infer(m.model(), m.version(), c)));
        throw ServeException.notFound("no endpoint " + c.method + " /" + String.join("/", c.path));
    }

    /** A model's endpoint: {@code /v2/models/<model>[/versions/<version>]} followed by {@code rest}. */
    private record ModelPath(String model, Long version, List<String> rest) {
        /** Null when the path is not under {@code /v2/models/<model>}. */
        static ModelPath of(List<String> p) {
            if (p.size() < 3 || !p.get(0).equals("v2") || !p.get(1).equals("models")) return null;
            List<String> rest = p.subList(3, p.size());
            Long version = null;
            if (rest.size() >= 2 && rest.get(0).equals("versions")) {
                version = InferenceServer.version(rest.get(1));
                rest = rest.subList(2, rest.size());
            }
            return new ModelPath(p.get(2), version, rest);
        }

        boolean isInfer() {
            return rest.size() == 1 && rest.getFirst().equals("infer");
        }
    }

    /** Waits for an answer on a route that may block (a chunked infer body read on its own virtual thread). */
    private static Reply answer(CompletableFuture<Reply> reply) {
        try {
            return reply.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ServeException s ? s : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServeException(503, "the server is shutting down");
        }
    }

    private static Long version(String s) {
        try {
            long v = Long.parseLong(s);
            if (v < 1) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw ServeException.badRequest("version '" + s + "' is not a positive integer");
        }
    }

    private static Reply get(Call c, java.util.function.Supplier<Reply> r) {
        if (!c.method.equals("GET") && !c.method.equals("HEAD")) throw new ServeException(405, "use GET for /" + String.join("/", c.path));
        return r.get();
    }

    private static Reply post(Call c, java.util.function.Supplier<Reply> r) {
        if (!c.method.equals("POST")) throw new ServeException(405, "use POST for /" + String.join("/", c.path));
        return r.get();
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path == null) return out;
        for (String s : path.split("/")) {
            if (s.isEmpty()) continue;
            try {
                out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ServeException.badRequest("malformed path segment '" + s + "'");
            }
        }
        return out;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
            else if (ch < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            else sb.append(ch);
        }
        return sb.append('"').toString();
    }
}
