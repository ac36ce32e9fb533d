package org.sinter.privacy.federated;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.sinter.nn.Module;
import org.sinter.privacy.accountant.RdpAccountant;
import org.sinter.privacy.secagg.PublicKeys;
import org.sinter.privacy.secagg.SecAggException;
import org.sinter.privacy.secagg.SecAggServer;

/**
 * The federated server: each round it samples clients, sends them the global parameters, gathers
 * their weighted updates as a sum in the fixed-point ring — directly (plain FedAvg/FedProx) or
 * through secure aggregation, in which it only ever sees masked vectors — and moves the global
 * model by the weighted mean update. Clients that stay silent past the timeout, fail or answer out
 * of protocol are counted out of the round; a round that cannot finish leaves the model unchanged.
 * Both paths add the same integers in the same ring, so with the same surviving clients a secure
 * round gives bit-for-bit the model a plain round gives.
 */
public final class FederatedServer implements AutoCloseable {
    private final Module global;
    private final Map<Integer, ClientConnection> clients = new TreeMap<>();
    private final FlConfig config;
    private final Consumer<String> log;
    private final ExecutorService pool;
    private final Random sampler;
    private final Random noise;
    private final double weightReference;
    private final long totalExamples;
    private final RdpAccountant accountant = new RdpAccountant();
    private float[] parameters;

    public FederatedServer(Module global, List<? extends ClientConnection> connections, FlConfig config, Consumer<String> log) {
        if (connections.size() < config.clientsPerRound()) {
            throw new IllegalArgumentException("FederatedServer: " + connections.size() + " clients, fewer than the " + config.clientsPerRound() + " per round");
        }
        long total = 0;
        for (ClientConnection c : connections) {
            if (clients.put(c.clientId(), c) != null) throw new IllegalArgumentException("FederatedServer: client id " + c.clientId() + " twice");
            total += c.examples();
        }
        this.global = global;
        this.config = config;
        this.log = log;
        this.totalExamples = total;
        // FedAvg weighs a client by its examples; relative to the mean client so weights stay near 1
        // in the fixed-point ring. DP-FedAvg weighs every client 1 (bounded sensitivity).
        this.weightReference = config.dp() ? 0 : (double) total / connections.size();
        this.sampler = new Random(config.seed());
        this.noise = new Random(config.seed() ^ 0x5DEECE66DL);
        this.parameters = ParameterVector.get(global);
        this.pool = Executors.newFixedThreadPool(config.parallelism(), r -> {
            Thread t = new Thread(r, "fl-server-call");
            t.setDaemon(true);
            return t;
        });
    }

    /** The global parameters after the rounds run so far. */
    public float[] parameters() {
        return parameters.clone();
    }

    public Module model() {
        return global;
    }

    /** Privacy spent by DP on the aggregate (client-level, q = clients per round / clients). */
    public RdpAccountant accountant() {
        return accountant;
    }

    public long totalExamples() {
        return totalExamples;
    }

    public RoundResult round(long round) {
        long start = System.nanoTime();
        List<Integer> ids = new ArrayList<>(clients.keySet());
        java.util.Collections.shuffle(ids, sampler);
        List<Integer> sampled = new ArrayList<>(ids.subList(0, config.clientsPerRound()));
        java.util.Collections.sort(sampled);
        var plan = new Message.RoundPlan(round, config.secure(), config.threshold(sampled.size()), config.scale(), sampled.size(),
                weightReference, config.dp() ? config.clipNorm() : 0);
        Map<Integer, String> dropped = new TreeMap<>();
        int length = parameters.length + 1;
        int[] sum;
        List<Integer> aggregated;
        String skipped = null;
        try {
            Map<Integer, Message> train = new TreeMap<>();
            for (int id : sampled) train.put(id, new Message.TrainRequest(plan, parameters));
            if (config.secure()) {
                var agg = secureSum(round, plan.threshold(), length, train, dropped);
                sum = agg.sum;
                aggregated = agg.survivors;
            } else {
                Map<Integer, Message.Update> updates = callAll(round, train, Message.Update.class, dropped);
                sum = new int[length];
                aggregated = new ArrayList<>();
                for (var e : updates.entrySet()) {
                    if (e.getValue().encoded().length != length) {
                        dropped.put(e.getKey(), "update of " + e.getValue().encoded().length + " elements, expected " + length);
                        continue;
                    }
                    FixedPoint.addInto(sum, e.getValue().encoded());
                    aggregated.add(e.getKey());
                }
                if (aggregated.isEmpty()) throw new SecAggException("round " + round + ": no update arrived");
            }
            apply(sum, sampled.size());
        } catch (SecAggException e) {
            skipped = e.getMessage();
            aggregated = List.of();
            log.accept("round " + round + " skipped: " + skipped);
        }
        for (var e : dropped.entrySet()) log.accept("round " + round + ": client " + e.getKey() + " dropped (" + e.getValue() + ")");
        return new RoundResult(round, sampled, aggregated, dropped, skipped, (System.nanoTime() - start) / 1e9);
    }

    private record SecureSum(int[] sum, List<Integer> survivors) {}

    private SecureSum secureSum(long round, int threshold, int length, Map<Integer, Message> train, Map<Integer, String> dropped) {
        var server = new SecAggServer(round, threshold, length);
        Map<Integer, PublicKeys> keys = new TreeMap<>();
        callAll(round, train, Message.Keys.class, dropped).forEach((id, k) -> keys.put(id, k.keys()));
        var u1 = server.collectKeys(keys);

        Map<Integer, Message> shareReq = new TreeMap<>();
        for (int id : u1.keySet()) shareReq.put(id, new Message.ShareKeysRequest(round, u1));
        Map<Integer, Map<Integer, byte[]>> shares = new TreeMap<>();
        callAll(round, shareReq, Message.Shares.class, dropped).forEach((id, s) -> shares.put(id, s.encrypted()));
        server.collectShares(shares);

        Map<Integer, Message> maskReq = new TreeMap<>();
        for (int id : server.sharers()) maskReq.put(id, new Message.MaskRequest(round, server.sharesFor(id)));
        for (var e : callAll(round, maskReq, Message.MaskedInput.class, dropped).entrySet()) {
            try {
                server.collectMaskedInput(e.getKey(), e.getValue().masked());
            } catch (SecAggException ex) {
                dropped.put(e.getKey(), ex.getMessage());
            }
        }
        var u3 = server.survivors();

        Map<Integer, Message> unmaskReq = new TreeMap<>();
        for (int id : u3) unmaskReq.put(id, new Message.UnmaskRequest(round, u3));
        Map<Integer, List<org.sinter.privacy.secagg.KeyShare>> responses = new TreeMap<>();
        callAll(round, unmaskReq, Message.UnmaskShares.class, dropped).forEach((id, s) -> responses.put(id, s.shares()));
        return new SecureSum(server.unmask(responses), new ArrayList<>(u3));
    }

    /** Applies the aggregate: the weighted mean update (plain) or the noised sum over the expected count (DP). */
    private void apply(int[] sum, int sampled) {
        var fp = new FixedPoint(config.scale(), sampled);
        float[] mean;
        if (config.dp()) {
            int d = sum.length - 1;
            double sd = config.dpNoiseMultiplier() * config.clipNorm();
            mean = new float[d];
            for (int i = 0; i < d; i++) mean[i] = (float) ((sum[i] / config.scale() + sd * noise.nextGaussian()) / sampled);
            accountant.step(config.dpNoiseMultiplier(), (double) sampled / clients.size());
        } else {
            mean = fp.decodeMean(sum);
        }
        float[] next = parameters.clone();
        for (int i = 0; i < next.length; i++) next[i] += mean[i];
        parameters = next;
        ParameterVector.set(global, parameters);
    }

    /**
     * Sends every request at once and gathers the replies of the expected type for this round;
     * everyone else goes into {@code dropped} with the reason. Waits at most the timeout overall.
     */
    private <T extends Message> Map<Integer, T> callAll(long round, Map<Integer, Message> requests, Class<T> expected, Map<Integer, String> dropped) {
        Map<Integer, Future<Message>> futures = new TreeMap<>();
        for (var e : requests.entrySet()) {
            ClientConnection c = clients.get(e.getKey());
            futures.put(e.getKey(), pool.submit(() -> c.call(e.getValue(), config.timeout())));
        }
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Map<Integer, T> out = new HashMap<>();
        for (var e : futures.entrySet()) {
            int id = e.getKey();
            try {
                Message m = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (expected.isInstance(m) && roundOf(m) == round) out.put(id, expected.cast(m));
                else if (m instanceof Message.Silence) dropped.put(id, "silent");
                else if (m instanceof Message.Failure f) dropped.put(id, "failed: " + f.reason());
                else dropped.put(id, "answered " + m.getClass().getSimpleName() + " to " + requests.get(id).getClass().getSimpleName() + " of round " + round);
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                dropped.put(id, "no reply within " + config.timeout().toMillis() + " ms");
            } catch (ExecutionException ex) {
                Throwable c = ex.getCause();
                dropped.put(id, (c instanceof IOException ? "link: " : "error: ") + c.getMessage());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("federated server interrupted in round " + round, ex);
            }
        }
        return new TreeMap<>(out);
    }

    private static long roundOf(Message m) {
        return switch (m) {
            case Message.Update u -> u.round();
            case Message.Keys k -> k.round();
            case Message.Shares s -> s.round();
            case Message.MaskedInput mi -> mi.round();
            case Message.UnmaskShares u -> u.round();
            default -> -1;
        };
    }

    @Override
    public void close() {
        pool.shutdownNow();
        for (ClientConnection c : clients.values()) {
            if (c instanceof RemoteConnection r) r.shutdown();
            else c.close();
        }
    }
}
