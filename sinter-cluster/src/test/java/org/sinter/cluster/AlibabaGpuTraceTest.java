package org.sinter.cluster;

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
import org.sinter.cluster.policy.Drf;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.AlibabaGpuTrace;
import org.sinter.cluster.trace.TraceFormatException;
import org.sinter.cluster.trace.Workloads;

/**
 * The Alibaba v2023 pod-list reader, on a small file written here in the published schema (the shared
 * data directory has no copy of that trace).
 */
class AlibabaGpuTraceTest {
    static final String HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time\n";

    @TempDir
    Path dir;

    Path write(String body) throws IOException {
        Path f = dir.resolve("openb_pod_list_test.csv");
        Files.writeString(f, HEADER + body);
        return f;
    }

    @Test
    void readsPodsAsJobsWithCpuMemoryAndQueues() throws IOException {
        Path f = write("""
                pod-0,12000,16384,1,1000,,LS,Running,0,3600,0
                pod-1,6000,12288,1,460,,LS,Running,100,1300,200
                pod-2,20000,65536,0,0,,LS,Running,150,900,150
                pod-3,88000,327680,8,1000,V100M32,Burstable,Succeeded,50,7250,50
                pod-4,11908,47104,1,1000,,BE,Pending,300,400,
                pod-5,3152,5600,1,1000,,BE,Failed,400,400,400
                """);
        AlibabaGpuTrace.Loaded l = AlibabaGpuTrace.read(f, Integer.MAX_VALUE);
        assertEquals(3, l.jobs().size());
        assertEquals(1, l.cpuOnly());
        assertEquals(1, l.neverScheduled());
        assertEquals(1, l.zeroLength());
        assertEquals(1, l.fractional());
        Job first = l.jobs().get(0), big = l.jobs().get(1), shared = l.jobs().get(2);
        assertEquals("pod-0", first.type());
        assertEquals(3600, first.duration());
        assertEquals(12, first.cpus());
        assertEquals(16, first.memoryGib());
        assertEquals(50, big.arrival()); // sorted by creation time
        assertEquals(8, big.gpus());
        assertEquals("Burstable", big.vc());
        assertEquals(7200, big.duration());
        assertEquals(1, shared.gpus());
        assertEquals(460, shared.gpuMilli()); // a share of one GPU
        assertTrue(shared.sharesGpu() && !first.sharesGpu());
        assertEquals(1100, shared.duration()); // deletion minus scheduled, not creation
        assertEquals("openb_pod_list_test.csv:3", shared.origin());
        // the command line recognises the file by its header
        Workloads.Workload w = Workloads.load(f.toString(), ClusterSpec.parse("2x8"), new Workloads.Options(1, 0, Integer.MAX_VALUE, "v100"));
        assertEquals(3, w.jobs().size());
        assertTrue(w.description().contains("1 share a GPU"), w.description());
        // and DRF schedules them on nodes with the pods' CPU and memory
        SimulationResult r = Simulator.run(w.jobs(), ClusterSpec.parse("2x8"), new Drf(96, 512), new ConsolidatePlacement(), 0, null);
        assertEquals(3, r.jobs().size());
    }

    @Test
    void malformedPodListsNameTheLine() throws IOException {
        Path missing = dir.resolve("missing.csv");
        Files.writeString(missing, "name,cpu_milli,memory_mib,num_gpu,qos,creation_time,deletion_time,scheduled_time\npod,1,1,1,LS,0,1,0\n");
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(missing, 10));
        assertTrue(e.getMessage().contains("missing.csv:1") && e.getMessage().contains("gpu_milli"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(write("pod-0,1000,1024,1,1000,,LS,Running,0,3600,0\npod-1,1000,1024,1,1000,,LS,Running,500,100,500\n"), 10));
        assertTrue(e.getMessage().contains(":3:") && e.getMessage().contains("deletion_time"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(write("pod-0,1000,1024,1,1000,,LS,Running,-5,3600,0\n"), 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("creation_time"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(write("pod-0,abc,1024,1,1000,,LS,Running,0,3600,0\n"), 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("cpu_milli"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(write("pod-0,1000,1024,1,0,,LS,Running,0,3600,0\n"), 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("gpu_milli"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(write("pod-0,1000,1024,2,500,,LS,Running,0,3600,0\n"), 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("num_gpu 1"), e.getMessage());
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(write("pod-0,1000,1024,1\n"), 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("expected 11"), e.getMessage());
    }

    @Test
    void qosSetsPriorityAndPreemptibilityAndOptionalColumnsOverrideIt() throws IOException {
        Path f = write("""
                pod-0,1000,1024,1,1000,,Guaranteed,Running,0,100,0
                pod-1,1000,1024,1,1000,,LS,Running,1,100,1
                pod-2,1000,1024,1,1000,,Burstable,Running,2,100,2
                pod-3,1000,1024,1,1000,,BE,Running,3,100,3
                """);
        List<Job> jobs = AlibabaGpuTrace.read(f, 10).jobs();
        assertEquals(List.of(3, 2, 1, 0), jobs.stream().map(Job::priority).toList());
        assertEquals(List.of(false, false, true, true), jobs.stream().map(Job::preemptible).toList());
        assertTrue(jobs.stream().allMatch(j -> j.checkpointable() && j.migratable() && !j.elastic()));

        Path g = dir.resolve("with_traits.csv");
        Files.writeString(g, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,qos,creation_time,deletion_time,scheduled_time,user,priority,preemptible,checkpointable,migratable,min_gpus,max_gpus,scaling_efficiency
                pod-0,1000,1024,2,1000,LS,0,100,0,alice,7,true,no,0,1,4,0.8
                pod-1,1000,1024,1,1000,BE,1,100,1,,,,,,,,
                """);
        List<Job> read = AlibabaGpuTrace.read(g, 10).jobs();
        Job a = read.get(0);
        assertEquals(7, a.priority());
        assertEquals("alice", a.user());
        assertTrue(a.preemptible() && !a.checkpointable() && !a.migratable() && a.elastic());
        assertEquals(1, a.minGpus());
        assertEquals(4, a.maxGpus());
        assertEquals(0.8, a.traits().scalingEfficiency());
        assertEquals(JobTraits.DEFAULT, read.get(1).traits(), "empty fields keep what the qos class says (BE: the defaults)");
    }

    @Test
    void badTraitColumnsNameTheLine() throws IOException {
        String header = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,qos,creation_time,deletion_time,scheduled_time,preemptible,min_gpus,max_gpus\n";
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, header + "pod-0,1000,1024,1,1000,BE,0,100,0,maybe,,\n");
        var e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(f, 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("preemptible"), e.getMessage());
        Files.writeString(f, header + "pod-0,1000,1024,8,1000,BE,0,100,0,true,1,4\n");
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(f, 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("min_gpus..max_gpus"), e.getMessage());
        Files.writeString(f, header + "pod-0,1000,1024,1,1000,BE,0,100,0,true,1,\n");
        e = assertThrows(TraceFormatException.class, () -> AlibabaGpuTrace.read(f, 10));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("go together"), e.getMessage());
    }
}
