package org.sinter.privacy.federated;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link FlOptions} as {@code key=value} arguments, so a server can start (or print the command
 * for) client processes with exactly its own settings; {@link #main} is the client process.
 */
public final class FlArgs {
    private FlArgs() {}

    public static List<String> toArgs(FlOptions o) {
        var t = o.training();
        var s = o.server();
        var f = o.faults();
        List<String> a = new ArrayList<>();
        a.add("task=" + o.task());
        a.add("clients=" + o.clients());
        a.add("rounds=" + o.rounds());
        a.add("split=" + o.split());
        a.add("epochs=" + t.epochs());
        a.add("batch=" + t.batchSize());
        a.add("lr=" + t.lr());
        a.add("momentum=" + t.momentum());
        a.add("mu=" + t.mu());
        a.add("perRound=" + s.clientsPerRound());
        a.add("secure=" + s.secure());
        a.add("timeoutMs=" + s.timeout().toMillis());
        a.add("dropout=" + f.dropout());
        a.add("straggler=" + f.straggler());
        a.add("stragglerDelayMs=" + f.stragglerDelayMillis());
        a.add("seed=" + o.seed());
        return a;
    }

    public static FlOptions parse(Map<String, String> m) {
        var training = new LocalTraining(integer(m, "epochs", 1), integer(m, "batch", 32), real(m, "lr", 0.05), real(m, "momentum", 0), real(m, "mu", 0), 0);
        long seed = Long.parseLong(m.getOrDefault("seed", "0"));
        var server = FlConfig.of(integer(m, "perRound", 10)).withSecure(Boolean.parseBoolean(m.getOrDefault("secure", "false")))
                .withTimeout(Duration.ofMillis(integer(m, "timeoutMs", 120_000))).withSeed(seed);
        var faults = new Faults(real(m, "dropout", 0), real(m, "straggler", 0), integer(m, "stragglerDelayMs", 0), seed);
        return new FlOptions(m.getOrDefault("task", "mnist"), integer(m, "clients", 100), integer(m, "rounds", 50), m.getOrDefault("split", "iid"),
                training, server, faults, seed, 1);
    }

    public static Map<String, String> keyValues(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            m.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return m;
    }

    private static int integer(Map<String, String> m, String k, int def) {
        try {
            return m.containsKey(k) ? Integer.parseInt(m.get(k)) : def;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + "=" + m.get(k) + " is not an integer", e);
        }
    }

    private static double real(Map<String, String> m, String k, double def) {
        try {
            return m.containsKey(k) ? Double.parseDouble(m.get(k)) : def;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(k + "=" + m.get(k) + " is not a number", e);
        }
    }

    /**
     * A client process: {@code FlArgs id=N host=H port=P [idleTimeoutMs=…] key=value…} with the
     * server's options; exits 0 when the server says shutdown, 1 on an error.
     */
    public static void main(String[] args) {
        try {
            Map<String, String> m = keyValues(args);
            FlOptions o = parse(m);
            int id = integer(m, "id", -1);
            int answered = Federated.client(o, id, m.getOrDefault("host", "127.0.0.1"), integer(m, "port", 0),
                    Duration.ofMillis(integer(m, "idleTimeoutMs", 600_000)));
            System.out.println("client " + id + ": answered " + answered + " requests");
        } catch (Exception e) {
            System.err.println("federated client: " + e.getMessage());
            System.exit(1);
        }
    }
}
