package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.policy.CapacityScheduler;
import org.sinter.cluster.policy.Drf;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.AlibabaNodeList;
import org.sinter.cluster.trace.TraceFormatException;

/**
 * Nodes of different sizes from an Alibaba v2023 node list (written here in the published schema):
 * GPU types per model, and placement that respects each node's GPUs, CPUs and memory.
 */
class NodeListTest {
    static final String HEADER = "sn,cpu_milli,memory_mib,gpu,model\n";

    @TempDir
    Path dir;

    Path write(String body) throws IOException {
        Path f = dir.resolve("openb_node_list_test.csv");
        Files.writeString(f, HEADER + body);
        return f;
    }

    /** A 2-GPU P100 node with 64 cores, an 8-GPU G2 node with 96 cores and 256 GiB, a CPU-only node. */
    ClusterSpec cluster() throws IOException {
        AlibabaNodeList.Loaded l = AlibabaNodeList.read(write("""
                node-p,64000,262144,2,P100
                node-g,96000,262144,8,G2
                node-cpu,32000,262144,0,
                """));
        assertEquals(1, l.withoutGpus());
        return ClusterSpec.of(l.nodes(), 16);
    }

    @Test
    void readsNodesIntoTypesOfTheirModels() throws IOException {
        ClusterSpec spec = cluster();
        assertEquals(List.of("G2", "P100"), spec.typeNames()); // types by model name; G2's node first
        assertEquals(10, spec.totalGpus());
        assertEquals(8, spec.gpusPerNode());
        assertEquals(List.of("node-g", "node-p"), spec.nodeList().names());
        Cluster c = spec.newCluster();
        assertEquals(8, c.capacityOf(0));
        assertEquals(2, c.capacityOf(1));
        assertEquals(96, c.freeCpusOn(0));
        assertEquals(256, c.freeMemoryOn(1));
    }

    @Test
    void placementRespectsGpusCpusAndMemoryOfEachNode() throws IOException {
        Cluster c = cluster().newCluster(); // node 0: G2, 8 GPUs, 96 cores; node 1: P100, 2 GPUs, 64 cores; 256 GiB each
        Placement best = new ConsolidatePlacement();
        job(best, c, 2, 8, 16, 1);         // best fit: the 2-GPU node
        job(best, c, 1, 8, 16, 0);         // the P100 node is full
        Allocation cpuHeavy = job(best, c, 1, 80, 16, 0); // 80 of the G2 node's 88 cores left
        assertEquals(null, best.place(c, new Job(9, "t", 0, 1, 1, "vc", "t:9", 10, 1)), "6 GPUs free on node 0 but only 8 cores");
        c.release(cpuHeavy, 80, 16);
        assertEquals(null, best.place(c, new Job(9, "t", 0, 1, 1, "vc", "t:9", 1, 300)), "300 GiB: no node has that much memory");
        assertEquals(0, best.place(c, new Job(9, "t", 0, 4, 1, "vc", "t:9", 8, 16)).nodes()[0], "4 GPUs: only the G2 node holds them");
    }

    private static Allocation job(Placement p, Cluster c, int gpus, double cpus, double memoryGib, int expectedNode) {
        Allocation a = p.place(c, new Job(0, "t", 0, gpus, 1, "vc", "t:0", cpus, memoryGib));
        assertEquals(expectedNode, a.nodes()[0]);
        c.allocate(a, cpus, memoryGib);
        return a;
    }

    @Test
    void replaysWaitForCpusAndMemoryAsWellAsGpus() throws IOException {
        ClusterSpec spec = cluster();
        // A holds 90 of the G2 node's 96 cores (1 GPU); B (1 GPU, 40 cores) fits only on the P100 node; C (1 GPU, 70 cores) waits for A.
        List<Job> jobs = List.of(new Job(0, "a", 0, 1, 100, "x", "t:0", 90, 8), new Job(1, "b", 0, 1, 50, "x", "t:1", 40, 8),
                new Job(2, "c", 0, 1, 10, "x", "t:2", 70, 8));
        for (var policy : List.of(new Fifo(), Drf.withDefaultNodes(8))) {
            SimulationResult r = Simulator.run(jobs, spec, policy, new ConsolidatePlacement(), 0, null);
            assertArrayEquals(new double[] {100, 50, 110}, GpuSharingTest.finishes(r), 1e-9, policy.name());
        }
        // SJF starts C (10 s) first, on the G2 node; A's 90 cores then wait for it.
        SimulationResult sjf = Simulator.run(jobs, spec, new Sjf(), new ConsolidatePlacement(), 0, null);
        assertArrayEquals(new double[] {110, 50, 10}, GpuSharingTest.finishes(sjf), 1e-9);
        // Shares of a GPU on a node list: two 600-milli pods cannot share one GPU, so the second takes another.
        List<Job> shares = List.of(new Job(0, "s", 0, 1, 10, "x", "t:0", 8, 8, 600), new Job(1, "s", 0, 1, 10, "x", "t:1", 8, 8, 600));
        SimulationResult r = Simulator.run(shares, spec, new Fifo(), Placement.of("packing", 0), 0, null);
        assertArrayEquals(new double[] {10, 10}, GpuSharingTest.finishes(r), 1e-9);
        assertEquals(1.2 * 10 / (10 * 10), org.sinter.cluster.metrics.Summary.of(r, 0).utilization(), 1e-12, "1,200 milli-GPUs of 10 GPUs for 10 s");
    }

    @Test
    void errorsNameTheLineOrTheJob() throws IOException {
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> AlibabaNodeList.read(write("n0,64000,262144,2,P100\nn1,abc,262144,2,P100\n")));
        assertTrue(e.getMessage().contains(":3:") && e.getMessage().contains("cpu_milli"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaNodeList.read(write("n0,64000,262144,-2,P100\n")));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("gpu"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaNodeList.read(write("n0,64000,262144,2\n")));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("expected 5"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaNodeList.read(write("n0,64000,262144,2,\n")));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("model"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaNodeList.read(write("n0,64000,262144,2,P100\nn0,64000,262144,2,P100\n")));
        assertTrue(e.getMessage().contains(":3:") && e.getMessage().contains("twice"), e.getMessage());
        Path missing = dir.resolve("m.csv");
        Files.writeString(missing, "sn,cpu_milli,gpu,model\nn0,1,1,P100\n");
        e = assertThrows(TraceFormatException.class, () -> AlibabaNodeList.read(missing));
        assertTrue(e.getMessage().contains("m.csv:1") && e.getMessage().contains("memory_mib"), e.getMessage());

        ClusterSpec spec = cluster();
        IllegalArgumentException never = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(List.of(new Job(0, "a", 0, 4, 10, "x", "pods.csv:7", 100, 8)), spec, new Fifo(), new ConsolidatePlacement(), 0, null));
        assertTrue(never.getMessage().contains("pods.csv:7") && never.getMessage().contains("never"), never.getMessage());
        VirtualClusters vcs = VirtualClusters.parse("x=1");
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(List.of(new Job(0, "a", 0, 1, 10, "x", "t:0", 1, 1)), spec, null, new CapacityScheduler(vcs, spec), new ConsolidatePlacement(), 0, null, vcs));
        assertTrue(sizes.getMessage().contains("different sizes"), sizes.getMessage());
    }

    @Test
    void podsKeepToTheGpuModelsOfTheirGpuSpec() throws IOException {
        ClusterSpec spec = cluster(); // node 0: G2 (8 GPUs), node 1: P100 (2 GPUs)
        Path pods = dir.resolve("openb_pod_list_spec.csv");
        Files.writeString(pods, AlibabaGpuTraceTest.HEADER + """
                pod-0,4000,8192,1,1000,G2,LS,Running,0,100,0
                pod-1,4000,8192,1,1000,,LS,Running,0,100,0
                pod-2,4000,8192,1,500,P100|T4,LS,Running,0,100,0
                """);
        org.sinter.cluster.trace.Workloads.Workload w = org.sinter.cluster.trace.Workloads.load(pods.toString(), spec,
                new org.sinter.cluster.trace.Workloads.Options(1, 0, Integer.MAX_VALUE, "v100"));
        assertTrue(w.description().contains("2 limited to the GPU models"), w.description());
        var placed = new java.util.HashMap<Integer, Integer>();
        Policy fifo = new Fifo();
        Policy recording = new Policy() { // FIFO, noting where each job starts
            @Override public String name() { return "fifo"; }
            @Override public double queueRank(org.sinter.cluster.sim.JobState j) { return fifo.queueRank(j); }
            @Override public void schedule(org.sinter.cluster.sim.SchedulerContext ctx) { fifo.schedule(ctx); }
            @Override public void onStart(org.sinter.cluster.sim.JobState j, double now) { placed.put(j.job.id(), j.allocation().nodes()[0]); }
        };
        Simulator.run(w.jobs(), spec, w.speeds(), recording, new ConsolidatePlacement(), 0, null, null);
        // Best fit alone would put pod-0 on the 2-GPU P100 node; its gpu_spec says G2. pod-1 may go anywhere: best fit, P100.
        assertEquals(java.util.Map.of(0, 0, 1, 1, 2, 1), placed);
        Files.writeString(pods, AlibabaGpuTraceTest.HEADER + "pod-0,4000,8192,1,1000,A100,LS,Running,0,100,0\n");
        org.sinter.cluster.trace.Workloads.Workload none = org.sinter.cluster.trace.Workloads.load(pods.toString(), spec,
                new org.sinter.cluster.trace.Workloads.Options(1, 0, Integer.MAX_VALUE, "v100"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(none.jobs(), spec, none.speeds(), new Fifo(), new ConsolidatePlacement(), 0, null, null));
        assertTrue(e.getMessage().contains("openb_pod_list_spec.csv:2"), e.getMessage());
        // 80 cores: the G2 node has them, but the pod may only use the P100 node's (64).
        Files.writeString(pods, AlibabaGpuTraceTest.HEADER + "pod-0,80000,8192,1,1000,P100,LS,Running,0,100,0\n");
        org.sinter.cluster.trace.Workloads.Workload cores = org.sinter.cluster.trace.Workloads.load(pods.toString(), spec,
                new org.sinter.cluster.trace.Workloads.Options(1, 0, Integer.MAX_VALUE, "v100"));
        e = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(cores.jobs(), spec, cores.speeds(), new Fifo(), new ConsolidatePlacement(), 0, null, null));
        assertTrue(e.getMessage().contains("openb_pod_list_spec.csv:2") && e.getMessage().contains("GPU model it may use"), e.getMessage());
    }
}
