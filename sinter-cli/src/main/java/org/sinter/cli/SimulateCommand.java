package org.sinter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.sinter.cli.progress.ProgressBar;
import org.sinter.cli.simulate.SimulationPlots;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.VirtualClusters;
import org.sinter.cluster.hetero.GpuMix;
import org.sinter.cluster.hetero.HeteroPolicies;
import org.sinter.cluster.hetero.HeteroResult;
import org.sinter.cluster.hetero.HeteroSimulator;
import org.sinter.cluster.hetero.HeteroSummary;
import org.sinter.cluster.hetero.HeteroTrace;
import org.sinter.cluster.metrics.Reports;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.policy.Policies;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.policy.Tiresias;
import org.sinter.cluster.policy.learned.LearnedPolicy;
import org.sinter.cluster.policy.learned.ReinforceTrainer;
import org.sinter.cluster.policy.learned.SchedulingNetwork;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.Workloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sinter simulate}: replays a job trace on a simulated GPU cluster under each policy (and
 * placement) asked for, prints the comparison table and, with {@code --out}, writes the CSVs and plots.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Replay a job trace on a simulated GPU cluster and compare scheduling policies.")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--trace", required = true, description = "a Gavel .trace file or directory of them, a run-time list (philly_runtime.csv), or synthetic:N")
    String trace;

    @Option(names = "--cluster", description = "NODESxGPUS[/NODES_PER_RACK] (e.g. 64x8/16), or Gavel's V100:P100:K80 counts (e.g. 500:0:0; several non-zero, e.g. 36:36:36, or v100=8,k80=8: the round-based heterogeneous simulator); or give --nodes")
    String cluster;

    @Option(names = "--nodes", description = "a node list (Alibaba v2023 openb_node_list_*.csv: sn,cpu_milli,memory_mib,gpu,model): nodes of different GPU counts, models, CPUs and memory, all enforced; instead of --cluster")
    Path nodes;

    @Option(names = "--policy", split = ",", defaultValue = "fifo,sjf,srtf,tiresias,easy", description = "policies to compare, comma-separated: fifo, sjf, srtf, tiresias, easy, gandiva, drf, capacity, hived (these two need --vcs), elastic (resizes elastic jobs: see --elastic-share), learned (see --learned-model); default: ${DEFAULT-VALUE}. "
            + "On a cluster of several GPU types (e.g. 36:36:36): gavel, max-min, fifo, fifo-perf (default: these four), gavel-packed (space sharing)")
    List<String> policies;

    @Option(names = "--placement", split = ",", defaultValue = "consolidate", description = "placements to compare: consolidate, spread, first-fit, packing (shares of a GPU on the fullest GPU that holds them), random (default: ${DEFAULT-VALUE})")
    List<String> placements;

    @Option(names = "--load", defaultValue = "0.9", description = "offered load for traces without arrival times (run-time lists, synthetic): Poisson arrivals at this fraction of the cluster (default: ${DEFAULT-VALUE})")
    double load;

    @Option(names = "--seed", defaultValue = "0", description = "seed of generated arrivals, GPU counts and random placement (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-jobs", description = "replay only the first N jobs")
    Integer maxJobs;

    @Option(names = "--gpu-type", defaultValue = "v100", description = "GPU type of Gavel's throughputs for .trace files (default: ${DEFAULT-VALUE})")
    String gpuType;

    @Option(names = "--restart-penalty", defaultValue = "0", description = "seconds a preempted job loses when it resumes (default: ${DEFAULT-VALUE})")
    double restartPenalty;

    @Option(names = "--tiresias-thresholds", split = ",", description = "Tiresias queue thresholds in attained GPU-seconds, increasing (default: 3600,36000,360000)")
    double[] tiresiasThresholds;

    @Option(names = "--tiresias-promote", defaultValue = "0", description = "Tiresias' starvation guard: promote a job that waited this many"
            + " times its last run to the first queue (0: off; default: ${DEFAULT-VALUE})")
    double tiresiasPromote;

    @Option(names = "--tiresias-order", defaultValue = "arrival", description = "order within a Tiresias queue: arrival (default), or entry"
            + " (when the job entered the queue; a demoted job waits behind the new queue's waiting jobs, as the Tiresias authors' simulator does)")
    String tiresiasOrder;

    @Option(names = "--vcs", description = "virtual clusters and their guaranteed nodes, name=nodes,... or 'auto' (the nodes shared in proportion to each VC's "
            + "submitted GPU-seconds; a Gavel .trace file's name is its VC); needed by capacity and hived, and measures guarantee violations for every policy")
    String vcs;

    @Option(names = "--split-vcs", description = "deal the jobs among N virtual clusters team0..teamN-1 (seeded), for traces that name none")
    Integer splitVcs;

    @Option(names = "--gandiva-quantum", defaultValue = "1800", description = "seconds a job runs before Gandiva may suspend it for waiting jobs (default: ${DEFAULT-VALUE})")
    double gandivaQuantum;

    @Option(names = "--learned-model", description = "the learned policy's network (safetensors): loaded when the file exists, else trained "
            + "(REINFORCE on generated Philly-shaped episodes, about a minute) and saved there")
    Path learnedModel;

    @Option(names = "--out", description = "directory for summary.csv, per-policy jobs and timeline CSVs and PNG plots")
    Path out;

    @Option(names = "--simulator", defaultValue = "rounds", description = "for a cluster of several GPU types: rounds (Gavel's round-based simulator, default) or event"
            + " (the event simulator: every policy, type-blind placement, plus the type-aware fifo-perf, sjf-perf, fifo-affinity, sjf-affinity)")
    String simulator;

    @Option(names = "--diurnal", defaultValue = "0", description = "for traces without arrival times (run-time lists, synthetic): amplitude in [0, 1] of a daily cycle"
            + " in the Poisson arrival rate, busiest at 14:00, same mean load (0: plain Poisson; default: ${DEFAULT-VALUE})")
    double diurnal;

    @Option(names = "--elastic-share", defaultValue = "0", description = "make this share in [0, 1] of the jobs elastic (seeded): each runs on max(1, g/2)..min(cluster, 4g) GPUs, scaling efficiency 0.9; "
            + "a trace's own min_gpus/max_gpus columns are kept for the rest (default: ${DEFAULT-VALUE})")
    double elasticShare;

    @Option(names = "--arrival-scale", defaultValue = "1", description = "multiply a trace's own arrival times by this factor in [0, 1] (below 1: the same jobs"
            + " arrive faster, a heavier load; 0: all at once); default: ${DEFAULT-VALUE}")
    double arrivalScale;

    @Option(names = "--round", defaultValue = "360", description = "round length in seconds of the heterogeneous (several GPU types) simulator (Gavel's default: ${DEFAULT-VALUE})")
    double roundSeconds;

    @Override
    public Integer call() throws IOException {
        if (!simulator.equals("rounds") && !simulator.equals("event")) throw new UsageException("--simulator must be rounds or event, got '" + simulator + "'");
        if ((cluster == null) == (nodes == null)) throw new UsageException("give the cluster: --cluster SPEC or --nodes FILE (one of them)");
        if (cluster != null && isHeterogeneous(cluster) && simulator.equals("rounds")) return heterogeneous();
        ClusterSpec spec;
        List<Placement> chosenPlacements = new ArrayList<>();
        List<String> policyNames = policies.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        try {
            spec = nodes != null ? nodeList(nodes) : ClusterSpec.parse(cluster);
            for (String p : policyNames) Policies.checkName(p); // all names checked before a long replay starts
            for (String p : placements) chosenPlacements.add(Placement.of(p.trim(), seed));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!(load > 0)) throw new UsageException("--load must be > 0, got " + load);
        Workloads.Workload workload = Workloads.load(trace, spec, new Workloads.Options(load, seed, maxJobs == null ? Integer.MAX_VALUE : maxJobs, gpuType, diurnal));
        System.out.println("trace: " + workload.description());
        List<org.sinter.cluster.Job> jobs = workload.jobs();
        if (!(arrivalScale >= 0 && arrivalScale <= 1)) throw new UsageException("--arrival-scale must be in [0, 1], got " + arrivalScale);
        if (!(elasticShare >= 0 && elasticShare <= 1)) throw new UsageException("--elastic-share must be in [0, 1], got " + elasticShare);
        if (elasticShare > 0) {
            List<org.sinter.cluster.Job> drawn = org.sinter.cluster.trace.SyntheticTrace.withTraits(jobs,
                    new org.sinter.cluster.trace.SyntheticTrace.TraitMix(elasticShare, 0, 0, 0), spec.largestTypeGpus(), seed);
            List<org.sinter.cluster.Job> merged = new java.util.ArrayList<>(jobs.size());
            for (int i = 0; i < jobs.size(); i++) {
                org.sinter.cluster.Job own = jobs.get(i), d = drawn.get(i);
                merged.add(d.elastic() ? own.withTraits(own.traits().withGpuRange(d.minGpus(), d.maxGpus())) : own);
            }
            jobs = merged;
            System.out.println("elastic: " + jobs.stream().filter(org.sinter.cluster.Job::elastic).count() + " of " + jobs.size() + " jobs");
        }
        if (arrivalScale != 1) {
            double first = jobs.isEmpty() ? 0 : jobs.getFirst().arrival(); // compressed toward the first arrival
            jobs = jobs.stream().map(j -> j.withArrival(first + (j.arrival() - first) * arrivalScale)).toList();
            System.out.println("arrival times scaled by " + arrivalScale + " (from the first arrival)");
        }
        try {
            if (splitVcs != null) jobs = VirtualClusters.splitAmong(jobs, splitVcs, seed);
            virtualClusters = vcs == null ? null
                    : vcs.trim().equalsIgnoreCase("auto") ? VirtualClusters.proportional(jobs, spec) : VirtualClusters.parse(vcs);
            if (virtualClusters != null) virtualClusters.checkFits(spec);
            for (String p : policyNames) policy(p, spec);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (virtualClusters != null) System.out.println("virtual clusters (guaranteed nodes): " + virtualClusters);
        if (spec.nodeList() != null) System.out.println("cluster: " + spec + ", GPUs, CPUs and memory per node enforced");
        else System.out.println("cluster: " + spec.nodes() + " nodes x " + spec.gpusPerNode() + " GPUs (" + spec.totalGpus() + " GPUs), " + spec.nodesPerRack() + " nodes per rack"
                + (spec.types() > 1 ? ", GPU types " + spec + " (type-blind policies place anywhere; *-perf and *-affinity choose the type)" : ""));
        List<Summary> rows = new ArrayList<>();
        List<SimulationResult> results = new ArrayList<>();
        for (String name : policyNames) {
            for (Placement placement : chosenPlacements) {
                Placement fresh = Placement.of(placement.name(), seed); // each replay starts from the same random stream
                long start = System.nanoTime();
                SimulationResult r;
                try (ProgressBar bar = ProgressBar.builder(jobs.size()).label(name + "/" + fresh.name()).unit("jobs").out(System.err).build()) {
                    r = Simulator.run(jobs, spec, workload.speeds(), policy(name, spec), fresh, restartPenalty, (done, total, t) -> bar.update(done), virtualClusters);
                }
                rows.add(Summary.of(r, (System.nanoTime() - start) / 1e9));
                results.add(r);
                if (out != null) {
                    Files.createDirectories(out);
                    String stem = name + "-" + fresh.name();
                    Reports.writeJobs(out.resolve("jobs-" + stem + ".csv"), r);
                    Reports.writeTimeline(out.resolve("timeline-" + stem + ".csv"), r);
                }
            }
        }
        System.out.print(Reports.table(rows));
        if (out != null) {
            Reports.writeSummaries(out.resolve("summary.csv"), rows);
            SimulationPlots.write(out, results);
            System.out.println("wrote " + out.resolve("summary.csv") + ", per-policy jobs and timeline CSVs, jct-cdf.png, utilization.png, queue-length.png");
        }
        return 0;
    }

    /** A node list's cluster: one GPU type per model, racks of 16 nodes. */
    private static ClusterSpec nodeList(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new UsageException("--nodes: no such file: " + file);
        org.sinter.cluster.trace.AlibabaNodeList.Loaded l = org.sinter.cluster.trace.AlibabaNodeList.read(file);
        System.out.println("nodes: " + l.nodes().size() + " GPU nodes from " + file.getFileName() + " (" + l.withoutGpus() + " without GPUs skipped)");
        return ClusterSpec.of(l.nodes(), 16);
    }

    private VirtualClusters virtualClusters;
    private SchedulingNetwork learned;

    /** Several GPU types with GPUs ({@code 36:36:36}, {@code v100=8,k80=8}): the round-based heterogeneous simulator. */
    private static boolean isHeterogeneous(String spec) {
        if (!spec.contains(":") && !spec.contains("=")) return false;
        try {
            return GpuMix.parse(spec).nonEmptyTypes() > 1;
        } catch (IllegalArgumentException e) {
            return false; // ClusterSpec reports the problem
        }
    }

    private Integer heterogeneous() throws IOException {
        GpuMix mix = GpuMix.parse(cluster);
        List<String> names = policies.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
        if (policies.equals(List.of("fifo", "sjf", "srtf", "tiresias", "easy"))) names = HeteroPolicies.NAMES; // the default list is the homogeneous one
        try {
            for (String p : names) HeteroPolicies.of(p, seed);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!(roundSeconds > 0)) throw new UsageException("--round must be > 0 seconds, got " + roundSeconds);
        if (trace.startsWith("synthetic:") || !(Files.isDirectory(Path.of(trace)) || trace.endsWith(".trace"))) {
            throw new UsageException("--cluster " + cluster + " has several GPU types: --trace must be a Gavel .trace file or directory (steps and per-type throughputs)");
        }
        HeteroTrace.Loaded loaded = HeteroTrace.read(Path.of(trace), mix, maxJobs == null ? Integer.MAX_VALUE : maxJobs);
        System.out.println("trace: " + loaded.description());
        System.out.println("cluster: " + mix + " (" + mix.total() + " GPUs), rounds of " + roundSeconds + " s");
        List<HeteroSummary> rows = new ArrayList<>();
        for (String name : names) {
            long start = System.nanoTime();
            HeteroResult r;
            try (ProgressBar bar = ProgressBar.builder(loaded.jobs().size()).label(name).unit("jobs").out(System.err).build()) {
                r = HeteroSimulator.run(loaded.jobs(), mix, HeteroPolicies.of(name, seed), roundSeconds, (done, total, t) -> bar.update(done));
            }
            rows.add(HeteroSummary.of(r, (System.nanoTime() - start) / 1e9));
        }
        System.out.print(HeteroSummary.table(rows));
        if (out != null) {
            Files.createDirectories(out);
            StringBuilder csv = new StringBuilder("policy,jobs,avg_jct_h,median_jct_h,p95_jct_h,makespan_h,utilization,avg_rho,max_rho,share_rho_above_1,type_changes,lp_solves,shared_share,wall_s\n");
            for (HeteroSummary s : rows) {
                csv.append(String.join(",", s.policy(), "" + s.jobs(), "" + s.avgJctHours(), "" + s.medianJctHours(), "" + s.p95JctHours(), "" + s.makespanHours(),
                        "" + s.utilization(), "" + s.avgRho(), "" + s.maxRho(), "" + s.shareRhoAboveOne(), "" + s.typeChanges(), "" + s.solves(), "" + s.sharedShare(), "" + s.wallSeconds())).append('\n');
            }
            Path file = out.resolve("summary.csv"), tmp = out.resolve("summary.csv.tmp");
            Files.writeString(tmp, csv);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.println("wrote " + file);
        }
        return 0;
    }

    private Policy policy(String name, ClusterSpec spec) {
        if (name.equals("learned")) return new LearnedPolicy(learnedNetwork());
        if (name.equals("gandiva")) return new org.sinter.cluster.policy.Gandiva(gandivaQuantum);
        if (name.equals("tiresias") && (tiresiasThresholds != null || tiresiasPromote != 0 || !tiresiasOrder.equals("arrival"))) {
            if (!(tiresiasPromote >= 0)) throw new UsageException("--tiresias-promote must be >= 0, got " + tiresiasPromote);
            if (!tiresiasOrder.equals("arrival") && !tiresiasOrder.equals("entry")) throw new UsageException("--tiresias-order must be arrival or entry, got '" + tiresiasOrder + "'");
            return new Tiresias(tiresiasPromote, tiresiasThresholds != null ? tiresiasThresholds : Tiresias.DEFAULT_THRESHOLDS, tiresiasOrder.equals("entry"));
        }
        return Policies.of(name, virtualClusters, spec);
    }

    private SchedulingNetwork learnedNetwork() {
        if (learned != null) return learned;
        ReinforceTrainer.Options o = ReinforceTrainer.Options.defaults();
        try {
            if (learnedModel != null && Files.isRegularFile(learnedModel)) {
                learned = SchedulingNetwork.load(learnedModel, o.hidden());
                System.out.println("learned policy: loaded " + learnedModel);
                return learned;
            }
            System.out.println("learned policy: training (" + o.iterations() + " iterations of " + o.rollouts() + " episodes of " + o.jobs()
                    + " generated jobs on " + o.cluster() + " at load " + o.load() + ")");
            learned = ReinforceTrainer.train(o, line -> System.out.println("  " + line)).network();
            if (learnedModel != null) {
                learned.save(learnedModel);
                System.out.println("learned policy: saved " + learnedModel);
            }
            return learned;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("learned policy: " + learnedModel + ": " + e.getMessage(), e);
        }
    }
}
