package org.sinter.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The virtual clusters (VCs, a team's or queue's share) and the nodes each is guaranteed: what
 * capacity scheduling promises in GPUs and HiveD in cells. Jobs name their VC ({@link Job#vc});
 * a VC not listed is guaranteed nothing (its jobs run only on idle, reclaimable capacity). The
 * guarantees must fit in the cluster, so that all of them can hold at once (HiveD's VC safety).
 */
public record VirtualClusters(Map<String, Integer> guaranteedNodes) {
    public VirtualClusters {
        for (var e : guaranteedNodes.entrySet()) {
            if (e.getValue() < 0) throw new IllegalArgumentException("virtual cluster " + e.getKey() + ": a guarantee of " + e.getValue() + " nodes");
        }
        guaranteedNodes = Collections.unmodifiableMap(new LinkedHashMap<>(guaranteedNodes));
    }

    /** Guaranteed nodes of {@code vc} (0 for a VC not listed). */
    public int nodesOf(String vc) {
        return guaranteedNodes.getOrDefault(vc, 0);
    }

    public int totalNodes() {
        return guaranteedNodes.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Throws unless every guarantee can hold at once on {@code spec}. */
    public void checkFits(ClusterSpec spec) {
        if (totalNodes() > spec.nodes()) {
            throw new IllegalArgumentException("virtual clusters guarantee " + totalNodes() + " nodes in all, the cluster (" + spec + ") has "
                    + spec.nodes() + ": guarantees must fit together");
        }
    }

    /** {@code name=nodes,...}, e.g. {@code research=12,prod=20}. */
    public static VirtualClusters parse(String spec) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("virtual clusters '" + spec + "': expected name=nodes[,name=nodes...], got '" + p + "'");
            try {
                if (m.put(p.substring(0, eq).trim(), Integer.parseInt(p.substring(eq + 1).trim())) != null) {
                    throw new IllegalArgumentException("virtual clusters '" + spec + "': " + p.substring(0, eq).trim() + " is listed twice");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("virtual clusters '" + spec + "': '" + p.substring(eq + 1) + "' is not a node count");
            }
        }
        return new VirtualClusters(m);
    }

    /**
     * Every node of {@code spec} shared out among the jobs' VCs in proportion to the GPU-seconds each
     * submits (largest remainders; VCs in name order for ties), the way a cluster's owners would size
     * the quotas to the demand they see.
     */
    public static VirtualClusters proportional(List<Job> jobs, ClusterSpec spec) {
        Map<String, Double> demand = new TreeMap<>();
        double total = 0;
        for (Job j : jobs) {
            demand.merge(j.vc(), j.gpuSeconds(), Double::sum);
            total += j.gpuSeconds();
        }
        Map<String, Integer> nodes = new LinkedHashMap<>();
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        int given = 0;
        for (var e : demand.entrySet()) {
            double exact = total > 0 ? spec.nodes() * e.getValue() / total : 0;
            int n = (int) Math.floor(exact);
            nodes.put(e.getKey(), n);
            given += n;
            remainders.add(Map.entry(e.getKey(), exact - n));
        }
        remainders.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
        for (int i = 0; given < spec.nodes() && i < remainders.size(); i++, given++) nodes.merge(remainders.get(i).getKey(), 1, Integer::sum);
        return new VirtualClusters(nodes);
    }

    /**
     * The jobs dealt among {@code teams} VCs named {@code team0}... (uniformly, seeded), for traces that
     * carry no VC (run-time lists, generated ones); jobs keep everything else.
     */
    public static List<Job> splitAmong(List<Job> jobs, int teams, long seed) {
        if (teams < 1) throw new IllegalArgumentException("virtual clusters: at least one team to split the jobs among, got " + teams);
        java.util.Random rnd = new java.util.Random(seed);
        List<Job> out = new ArrayList<>(jobs.size());
        for (Job j : jobs) out.add(new Job(j.id(), j.type(), j.arrival(), j.gpus(), j.duration(), "team" + rnd.nextInt(teams), j.origin(), j.cpus(), j.memoryGib(), Job.WHOLE_GPU, j.traits()));
        return out;
    }

    /** The form {@link #parse} reads. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        guaranteedNodes.forEach((k, v) -> s.append(s.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return s.toString();
    }
}
