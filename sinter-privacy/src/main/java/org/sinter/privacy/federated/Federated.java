package org.sinter.privacy.federated;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.sinter.Sinter;
import org.sinter.nn.Module;

/**
 * Runs a federated job from {@link FlOptions}: all clients as threads of this process
 * ({@link #simulate}), or a TCP server ({@link #serve}) with each client a process of its own
 * ({@link #client}); the client and server code is the same in both.
 */
public final class Federated {
    private Federated() {}

    /** The outcome: each round's result and the test accuracy after the rounds that were evaluated. */
    public record History(List<RoundResult> rounds, List<double[]> accuracy, float[] parameters, double epsilon) {
        /** The last evaluated accuracy. */
        public double finalAccuracy() {
            return accuracy.isEmpty() ? Double.NaN : accuracy.get(accuracy.size() - 1)[1];
        }
    }

    /** All clients in-process (one {@link FlClient} each, called on the server's worker threads). */
    public static History simulate(FlOptions o, Consumer<String> log) {
        FederatedTask task = FederatedTask.named(o.task(), o.seed());
        List<int[]> parts = task.split(o.split(), o.clients(), o.seed());
        List<ClientConnection> conns = new ArrayList<>();
        for (int id = 0; id < o.clients(); id++) conns.add(new LocalConnection(client(task, parts, id, o)));
        return run(task, conns, o, log);
    }

    /** A TCP server on {@code bind:port} (port 0 picks one, reported through {@code onListening}) waiting for {@code o.clients()} client processes. */
    public static History serve(FlOptions o, InetAddress bind, int port, Duration acceptDeadline, java.util.function.IntConsumer onListening, Consumer<String> log) throws IOException {
        FederatedTask task = FederatedTask.named(o.task(), o.seed());
        try (var listener = new ServerSocket(port, 128, bind)) {
            onListening.accept(listener.getLocalPort());
            log.accept("federated server listening on " + bind.getHostAddress() + ":" + listener.getLocalPort() + ", waiting for " + o.clients() + " clients");
            List<ClientConnection> conns = new ArrayList<>(TcpRegistry.accept(listener, o.clients(), acceptDeadline, log));
            return run(task, conns, o, log);
        }
    }

    /** One client process: builds its shard of the task and serves the server at {@code host:port} until told to stop. */
    public static int client(FlOptions o, int id, String host, int port, Duration idleTimeout) throws IOException {
        if (id < 0 || id >= o.clients()) throw new IllegalArgumentException("client id " + id + " outside 0.." + (o.clients() - 1));
        FederatedTask task = FederatedTask.named(o.task(), o.seed());
        List<int[]> parts = task.split(o.split(), o.clients(), o.seed());
        return TcpClient.serve(host, port, client(task, parts, id, o), Duration.ofSeconds(30), idleTimeout);
    }

    static FlClient client(FederatedTask task, List<int[]> parts, int id, FlOptions o) {
        return new FlClient(id, task.clientData(parts.get(id)), task.model().get(), o.training(), o.faults(), o.seed() * 31 + id);
    }

    private static History run(FederatedTask task, List<ClientConnection> conns, FlOptions o, Consumer<String> log) {
        Sinter.manualSeed(o.seed());
        Module global = task.model().get();
        List<RoundResult> rounds = new ArrayList<>();
        List<double[]> acc = new ArrayList<>();
        try (var server = new FederatedServer(global, conns, o.server(), log)) {
            for (int r = 1; r <= o.rounds(); r++) {
                RoundResult res = server.round(r);
                rounds.add(res);
                String line = String.format(Locale.ROOT, "round %d: %d/%d clients aggregated%s, %.1f s", r, res.aggregated().size(), res.sampled().size(),
                        res.applied() ? "" : " (skipped: " + res.skipped() + ")", res.seconds());
                if (r % o.evalEvery() == 0 || r == o.rounds()) {
                    double a = task.testAccuracy(global);
                    acc.add(new double[] {r, a});
                    line += String.format(Locale.ROOT, ", test accuracy %.4f", a);
                }
                if (o.server().dp()) line += String.format(Locale.ROOT, ", ε = %.3f (δ = 1e-5)", server.accountant().getEpsilon(1e-5));
                log.accept(line);
            }
            double eps = o.server().dp() ? server.accountant().getEpsilon(1e-5) : Double.POSITIVE_INFINITY;
            return new History(rounds, acc, server.parameters(), eps);
        }
    }
}
