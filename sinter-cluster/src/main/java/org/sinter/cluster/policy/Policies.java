package org.sinter.cluster.policy;

import java.util.List;
import java.util.Locale;

/** Policies by their command-line names. */
public final class Policies {
    public static final List<String> NAMES = List.of("fifo", "sjf", "srtf", "tiresias", "easy", "gandiva", "drf", "capacity", "hived", "elastic", "learned",
            "fifo-perf", "sjf-perf", "fifo-affinity", "sjf-affinity");

    private Policies() {}

    public static Policy of(String name) {
        return of(name, null, null);
    }

    /** Throws, naming the choices, unless {@code name} is a policy (or an alias of one). */
    public static void checkName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n) && !ALIASES.contains(n)) {
            throw new IllegalArgumentException("unknown policy '" + name + "': expected one of " + String.join(", ", NAMES));
        }
    }

    private static final List<String> ALIASES = List.of("las", "2d-las", "backfill", "easy-backfill", "capacity-scheduler");

    /** As {@link #of(String)}; the policies of virtual clusters ({@code capacity}, {@code hived}) need {@code vcs} and {@code spec}. */
    public static Policy of(String name, org.sinter.cluster.VirtualClusters vcs, org.sinter.cluster.ClusterSpec spec) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if ((n.equals("capacity") || n.equals("hived")) && (vcs == null || spec == null)) {
            throw new IllegalArgumentException("policy '" + n + "' schedules virtual clusters: give their guarantees (--vcs name=nodes,... or --vcs auto)");
        }
        if (n.equals("learned")) {
            throw new IllegalArgumentException("policy 'learned' needs its trained network: new LearnedPolicy(network) (ReinforceTrainer trains one; "
                    + "./sinter simulate --policy learned trains or loads it with --learned-model)");
        }
        return switch (n) {
            case "capacity", "capacity-scheduler" -> new CapacityScheduler(vcs, spec);
            case "gandiva" -> new Gandiva();
            case "elastic" -> new Elastic(Elastic.DEFAULT_RESCALE_SECONDS);
            case "hived" -> new HiveD(vcs, spec);
            case "drf" -> Drf.withDefaultNodes(spec == null ? 8 : spec.gpusPerNode());
            case "fifo" -> new Fifo();
            case "fifo-perf" -> new TypeAwareGreedy(false, TypeAwareGreedy.Choice.PERF);
            case "sjf-perf" -> new TypeAwareGreedy(true, TypeAwareGreedy.Choice.PERF);
            case "fifo-affinity" -> new TypeAwareGreedy(false, TypeAwareGreedy.Choice.AFFINITY);
            case "sjf-affinity" -> new TypeAwareGreedy(true, TypeAwareGreedy.Choice.AFFINITY);
            case "sjf" -> new Sjf();
            case "srtf" -> new Srtf();
            case "tiresias", "las", "2d-las" -> new Tiresias();
            case "easy", "backfill", "easy-backfill" -> new EasyBackfill();
            default -> throw new IllegalArgumentException("unknown policy '" + name + "': expected one of " + String.join(", ", NAMES));
        };
    }
}
