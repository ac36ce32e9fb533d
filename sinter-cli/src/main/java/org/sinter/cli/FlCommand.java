package org.sinter.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.sinter.Tensor;
import org.sinter.nn.io.SafeTensors;
import org.sinter.privacy.federated.Faults;
import org.sinter.privacy.federated.Federated;
import org.sinter.privacy.federated.FederatedTask;
import org.sinter.privacy.federated.FixedPoint;
import org.sinter.privacy.federated.FlConfig;
import org.sinter.privacy.federated.FlOptions;
import org.sinter.privacy.federated.LocalTraining;
import org.sinter.privacy.federated.ParameterVector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sinter fl}: federated learning. {@code simulate} runs every client as a thread of this
 * process; {@code server} and {@code client} run the same job with each client a process of its
 * own talking to the server over TCP.
 */
@Command(name = "fl", mixinStandardHelpOptions = true, description = "Federated learning (FedAvg, FedProx, secure aggregation).",
        subcommands = {FlCommand.Simulate.class, FlCommand.Server.class, FlCommand.Client.class})
final class FlCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The options a server and its clients must agree on. */
    static final class Job {
        @Option(names = "--task", defaultValue = "mnist", description = "mnist (a small CNN on the shipped MNIST) or blobs (a synthetic test problem) (default: ${DEFAULT-VALUE})")
        String task;
        @Option(names = "--clients", defaultValue = "100", description = "clients the training set is split among (default: ${DEFAULT-VALUE})")
        int clients;
        @Option(names = "--rounds", defaultValue = "50", description = "rounds (default: ${DEFAULT-VALUE})")
        int rounds;
        @Option(names = "--per-round", defaultValue = "10", description = "clients sampled each round (default: ${DEFAULT-VALUE})")
        int perRound;
        @Option(names = "--alpha", description = "non-IID split: Dirichlet prior over labels with this concentration (default 0.5 unless --split)")
        Double alpha;
        @Option(names = "--split", description = "iid, dirichlet:ALPHA or shards:K (K label-sorted shards per client); overrides --alpha")
        String split;
        @Option(names = "--local-epochs", defaultValue = "5", description = "local epochs per round (default: ${DEFAULT-VALUE})")
        int localEpochs;
        @Option(names = "--batch-size", defaultValue = "32", description = "local batch size (default: ${DEFAULT-VALUE})")
        int batchSize;
        @Option(names = "--lr", defaultValue = "0.05", description = "local SGD learning rate (default: ${DEFAULT-VALUE})")
        double lr;
        @Option(names = "--momentum", defaultValue = "0.5", description = "local SGD momentum, reset each round (default: ${DEFAULT-VALUE})")
        double momentum;
        @Option(names = "--mu", defaultValue = "0", description = "FedProx proximal coefficient (0: FedAvg) (default: ${DEFAULT-VALUE})")
        double mu;
        @Option(names = "--secure-agg", description = "aggregate with secure aggregation (pairwise masks; the server sees only the sum)")
        boolean secure;
        @Option(names = "--dropout", defaultValue = "0", description = "simulated probability that a sampled client drops out of a round (after masking, with --secure-agg) (default: ${DEFAULT-VALUE})")
        double dropout;
        @Option(names = "--stragglers", defaultValue = "0", description = "simulated probability that a client answers late (default: ${DEFAULT-VALUE})")
        double stragglers;
        @Option(names = "--straggler-delay", defaultValue = "60", description = "how late a straggler answers, seconds (default: ${DEFAULT-VALUE})")
        double stragglerDelay;
        @Option(names = "--timeout", defaultValue = "300", description = "seconds the server waits for each step of a round (default: ${DEFAULT-VALUE})")
        double timeout;
        @Option(names = "--dp-noise", defaultValue = "0", description = "DP on the aggregate: noise multiplier σ (0: off); clients clip to --clip and the server reports ε at δ = 1e-5")
        double dpNoise;
        @Option(names = "--clip", defaultValue = "1.0", description = "L2 bound of a client's update under --dp-noise (default: ${DEFAULT-VALUE})")
        double clip;
        @Option(names = "--seed", defaultValue = "0", description = "seed of the split, sampling, local shuffles and faults (default: ${DEFAULT-VALUE})")
        long seed;

        FlOptions options() {
            if (alpha != null && split != null) throw new UsageException("--alpha and --split both given; use one");
            String s = split != null ? split : "dirichlet:" + (alpha != null ? alpha : 0.5);
            if (alpha != null && !(alpha > 0)) throw new UsageException("--alpha must be positive, got " + alpha);
            if (perRound > clients) throw new UsageException("--per-round " + perRound + " exceeds --clients " + clients);
            if (secure && perRound < 2) throw new UsageException("--secure-agg needs --per-round >= 2");
            if (!(timeout > 0)) throw new UsageException("--timeout must be positive, got " + timeout);
            try {
                var training = new LocalTraining(localEpochs, batchSize, lr, momentum, mu, 0);
                var server = new FlConfig(perRound, secure, 0.5, FixedPoint.DEFAULT_SCALE, Duration.ofMillis((long) (timeout * 1000)), dpNoise, dpNoise > 0 ? clip : 0, seed,
                        Math.max(1, Runtime.getRuntime().availableProcessors()));
                var faults = new Faults(dropout, stragglers, (long) (stragglerDelay * 1000), seed);
                return new FlOptions(task, clients, rounds, s, training, server, faults, seed, 1);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
    }

    abstract static class Running implements Callable<Integer> {
        @Mixin
        Job job;
        @Option(names = "--out", description = "write the final global model here (safetensors, atomically)")
        Path out;

        void report(Federated.History h, long startNanos) throws IOException {
            System.out.printf(Locale.ROOT, "final test accuracy %.2f%% after %d rounds, %.1f s%s%n", 100 * h.finalAccuracy(), h.rounds().size(),
                    (System.nanoTime() - startNanos) / 1e9, Double.isFinite(h.epsilon()) ? String.format(Locale.ROOT, ", ε = %.3f at δ = 1e-5", h.epsilon()) : "");
            if (out != null) save(h.parameters());
        }

        private void save(float[] params) throws IOException {
            var model = FederatedTask.named(job.task, job.seed).model().get();
            ParameterVector.set(model, params);
            Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
            Path abs = out.toAbsolutePath();
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            try {
                SafeTensors.save(state, tmp, Map.of("federated.task", job.task));
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            System.out.println("wrote " + out);
        }
    }

    @Command(name = "simulate", mixinStandardHelpOptions = true, description = "Run a federated job with every client a thread of this process.")
    static final class Simulate extends Running {
        @Override
        public Integer call() throws IOException {
            FlOptions o = job.options();
            long t0 = System.nanoTime();
            report(Federated.simulate(o, System.out::println), t0);
            return 0;
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Serve a federated job over TCP; start --clients client processes with the same job options.")
    static final class Server extends Running {
        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
        String bind;
        @Option(names = "--port", defaultValue = "7070", description = "port (0: any free one) (default: ${DEFAULT-VALUE})")
        int port;
        @Option(names = "--wait", defaultValue = "300", description = "seconds to wait for all clients to connect (default: ${DEFAULT-VALUE})")
        int waitSeconds;

        @Override
        public Integer call() throws IOException {
            FlOptions o = job.options();
            long t0 = System.nanoTime();
            report(Federated.serve(o, InetAddress.getByName(bind), port, Duration.ofSeconds(waitSeconds), p -> {}, System.out::println), t0);
            return 0;
        }
    }

    @Command(name = "client", mixinStandardHelpOptions = true, description = "Be client --id of a federated job served over TCP.")
    static final class Client implements Callable<Integer> {
        @Mixin
        Job job;
        @Option(names = "--id", required = true, description = "this client's id, 0 .. clients-1")
        int id;
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "server address (default: ${DEFAULT-VALUE})")
        String host;
        @Option(names = "--port", defaultValue = "7070", description = "server port (default: ${DEFAULT-VALUE})")
        int port;

        @Override
        public Integer call() throws IOException {
            FlOptions o = job.options();
            if (id < 0 || id >= o.clients()) throw new UsageException("--id " + id + " outside 0.." + (o.clients() - 1));
            int n = Federated.client(o, id, host, port, Duration.ofMinutes(30));
            System.out.println("client " + id + ": answered " + n + " requests");
            return 0;
        }
    }
}
