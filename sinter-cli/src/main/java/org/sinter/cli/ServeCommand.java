package org.sinter.cli;


import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.sinter.Sinter;
import org.sinter.cli.train.ModelSpec;
import org.sinter.cli.train.Task;
import org.sinter.nn.Module;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.IndexEntry;
import org.sinter.serve.repository.ModelRepository;
import org.sinter.serve.repository.ModelState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter serve}: the inference server over a model repository (Open Inference Protocol v2 over
 * HTTP, TorchServe's inference API, the repository API, Prometheus metrics). Runs until interrupted;
 * Ctrl-C or SIGTERM lets in-flight requests finish.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the models of a repository directory over HTTP and gRPC (Open Inference Protocol v2, TorchServe's /predictions).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--repository", required = true, description = "model repository: <model>/config.json and <model>/<version>/model.safetensors")
    Path repository;

    @Option(names = "--http-port", defaultValue = "8000", description = "HTTP port (default: ${DEFAULT-VALUE}; 0: any free port)")
    int port;

    @Option(names = "--grpc-port", defaultValue = "-1", description = "also serve the protocol's gRPC endpoint (inference.GRPCInferenceService)"
            + " on this port (0: any free port; default: off)")
    int grpcPort;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 in a container)")
    String host;

    @Option(names = "--poll-interval", defaultValue = "0", description = "seconds between scans of the repository for changed models (0: no polling; default: ${DEFAULT-VALUE})")
    double pollSeconds;

    @Option(names = "--max-body-mb", defaultValue = "64", description = "largest request body in MiB (default: ${DEFAULT-VALUE})")
    int maxBodyMb;

    @Option(names = "--access-log", description = "write one JSON line per request to this file ('-' for standard error)")
    Path accessLog;

    @Option(names = "--threads", description = "intra-op threads a forward may use (default: all cores). Under concurrent load"
            + " the instances and the HTTP threads already keep the cores busy; 1 leaves each forward on its instance's thread")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(repository)) throw new UsageException("--repository " + repository + " is not a directory");
        if (port < 0 || port > 65535) throw new UsageException("--http-port must be in [0, 65535], got " + port);
        if (grpcPort < -1 || grpcPort > 65535) throw new UsageException("--grpc-port must be in [0, 65535], got " + grpcPort);
        if (maxBodyMb < 1 || maxBodyMb > 2047) throw new UsageException("--max-body-mb must be in [1, 2047], got " + maxBodyMb);
        if (pollSeconds < 0) throw new UsageException("--poll-interval must be >= 0, got " + pollSeconds);
        if (threads != null) {
            if (threads < 1) throw new UsageException("--threads must be at least 1, got " + threads);
            Sinter.setNumThreads(threads);
        }
        ServerMetrics metrics = new ServerMetrics();
        ModelRepository repo = new ModelRepository(repository, ServeCommand::zooModel, metrics::observer);
        repo.loadAll();
        for (IndexEntry e : repo.index()) {
            System.out.println(e.state() == ModelState.READY ? "  " + e.name() + " version " + e.version() + ": ready"
                    : "  " + e.name() + ": " + e.state() + " (" + e.reason() + ")");
        }
        if (pollSeconds > 0) repo.startPolling(pollSeconds);
        InferenceServer.Options o = new InferenceServer.Options(host, port, maxBodyMb << 20, 16L << 20, 30_000, accessLog(accessLog));
        InferenceServer server = new InferenceServer(repo, metrics, o).start();
        org.sinter.serve.grpc.GrpcInferenceServer grpc = grpcPort < 0 ? null
                : new org.sinter.serve.grpc.GrpcInferenceServer(repo, server.service(), o.maxElements(), server::isReady,
                        new java.net.InetSocketAddress(host, grpcPort));
        System.out.println("serving " + repository + " on http://" + host + ":" + server.port()
                + (grpc != null ? " and grpc://" + host + ":" + grpc.port() : "") + " (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (grpc != null) grpc.close();
            server.close();
            repo.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** The zoo's image models by name, freshly initialised; the repository loads their weights. */
    static Module zooModel(String name) {
        ModelSpec spec = ModelSpec.of(name);
        if (spec.kind == Task.Kind.TEXT) {
            throw new IllegalArgumentException("model '" + name + "' is a text model; the server serves the image models (lab1cnn, mlp, lenet5, resnet18)");
        }
        return spec.create();
    }

    private static Consumer<String> accessLog(Path file) throws IOException {
        if (file == null) return null;
        if (file.toString().equals("-")) return System.err::println;
        PrintStream out = new PrintStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), true,
                StandardCharsets.UTF_8);
        return line -> {
            synchronized (out) {
                out.println(line);
            }
        };
    }
}
