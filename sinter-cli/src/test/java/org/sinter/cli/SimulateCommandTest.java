package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinter simulate}: the comparison table, the files under --out, and one-line errors. */
class SimulateCommandTest {
    @TempDir
    Path dir;

    @Test
    void comparesPoliciesAndWritesCsvsAndPlots() throws IOException {
        Path out = dir.resolve("sim");
        Cli.Result r = Cli.run("simulate", "--trace", "synthetic:400", "--cluster", "4x8", "--policy", "fifo,sjf,tiresias",
                "--placement", "consolidate,random", "--load", "1.2", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("400 synthetic jobs") && r.out().contains("avgJCT h"), r.toString());
        for (String p : List.of("fifo", "sjf", "tiresias")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(p + " ") && l.contains("consolidate")), r.toString());
            assertTrue(Files.exists(out.resolve("jobs-" + p + "-random.csv")), p);
            assertTrue(Files.exists(out.resolve("timeline-" + p + "-consolidate.csv")), p);
        }
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(7, summary.size(), "a header and 3 policies x 2 placements");
        assertTrue(summary.getFirst().startsWith("policy,placement,jobs,avg_jct_s"));
        assertEquals(401, Files.readAllLines(out.resolve("jobs-sjf-consolidate.csv")).size());
        for (String png : List.of("jct-cdf.png", "utilization.png", "queue-length.png")) assertTrue(Files.size(out.resolve(png)) > 1000, png);
    }

    @Test
    void aClusterOfSeveralGpuTypesComparesGavelWithAgnosticPolicies() throws IOException {
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('A', 1)": {"null": 8.0}, "('B', 1)": {"null": 2.0}},
                 "p100": {"('A', 1)": {"null": 4.0}, "('B', 1)": {"null": 2.0}},
                 "k80":  {"('A', 1)": {"null": 1.0}, "('B', 1)": {"null": 2.0}}}
                """);
        StringBuilder trace = new StringBuilder();
        for (int i = 0; i < 12; i++) trace.append(i % 2 == 0 ? "A" : "B").append("\tcmd\t-n\t1\t").append(20_000 + 1000 * i).append('\t').append(100.0 * i).append("\t1\n");
        Files.writeString(dir.resolve("team.trace"), trace);
        Path out = dir.resolve("hetero");
        Cli.Result r = Cli.run("simulate", "--trace", dir.resolve("team.trace").toString(), "--cluster", "2:2:2", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("2 v100, 2 p100, 2 k80"), r.toString());
        for (String p : List.of("gavel", "max-min", "fifo", "fifo-perf")) assertTrue(r.out().contains("| " + p + " | 12 |"), r.toString());
        assertEquals(5, Files.readAllLines(out.resolve("summary.csv")).size());
        // space sharing, on pairs that Gavel's table says help (each keeps 3/4 of its speed beside the other)
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('A', 1)": {"null": 8.0, "('B', 1)": [6.0, 1.5]}, "('B', 1)": {"null": 2.0, "('A', 1)": [1.5, 6.0]}},
                 "p100": {"('A', 1)": {"null": 4.0}, "('B', 1)": {"null": 2.0}},
                 "k80":  {"('A', 1)": {"null": 1.0}, "('B', 1)": {"null": 2.0}}}
                """);
        Cli.Result packed = Cli.run("simulate", "--trace", dir.resolve("team.trace").toString(), "--cluster", "2:2:2", "--policy", "gavel,gavel-packed");
        assertEquals(0, packed.exit(), packed.toString());
        String row = packed.out().lines().filter(l -> l.startsWith("| gavel-packed | 12 |")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        assertTrue(Double.parseDouble(cells[13].trim()) > 0, "some rounds shared: " + row);
        Cli.Result bad = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "2:2:2");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("several GPU types"), bad.toString());
    }

    @Test
    void theEventSimulatorRunsSeveralGpuTypesWithTypeAwarePolicies() throws IOException {
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('A', 1)": {"null": 8.0}, "('B', 1)": {"null": 2.0}},
                 "p100": {"('A', 1)": {"null": 4.0}, "('B', 1)": {"null": 2.0}},
                 "k80":  {"('A', 1)": {"null": 1.0}, "('B', 1)": {"null": 0.0}}}
                """);
        StringBuilder trace = new StringBuilder();
        for (int i = 0; i < 12; i++) trace.append(i % 2 == 0 ? "A" : "B").append("\tcmd\t-n\t1\t").append(20_000 + 1000 * i).append('\t').append(100.0 * i).append("\t1\n");
        Files.writeString(dir.resolve("team.trace"), trace);
        Cli.Result r = Cli.run("simulate", "--trace", dir.resolve("team.trace").toString(), "--cluster", "4:4:4", "--simulator", "event",
                "--policy", "fifo,fifo-perf,sjf-affinity,srtf");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("GPU types v100=1x4,p100=1x4,k80=1x4"), r.toString());
        for (String p : List.of("fifo ", "fifo-perf ", "sjf-affinity ", "srtf ")) assertTrue(r.out().lines().anyMatch(l -> l.startsWith(p)), p + ": " + r);
        Cli.Result bad = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "4:4:4", "--simulator", "event");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("several GPU types"), bad.toString());
    }

    @Test
    void diurnalArrivalsAreAnOptionOfGeneratedArrivals() {
        Cli.Result r = Cli.run("simulate", "--trace", "synthetic:300", "--cluster", "4x8", "--policy", "fifo,sjf", "--diurnal", "0.8");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("diurnal Poisson arrivals (amplitude 0.8"), r.toString());
        Cli.Result bad = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "4x8", "--diurnal", "1.5");
        assertTrue(bad.exit() != 0 && bad.err().contains("amplitude must be in [0, 1]"), bad.toString());
        assertFalse(bad.hasStackTrace(), bad.toString());
    }

    @Test
    void elasticJobsFromASharePlayUnderTheElasticPolicy() {
        Cli.Result r = Cli.run("simulate", "--trace", "synthetic:300", "--cluster", "4x8", "--policy", "sjf,elastic", "--elastic-share", "1", "--restart-penalty", "30");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("elastic: 300 of 300 jobs") && r.out().contains("\nelastic "), r.toString());
        Cli.Result bad = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "4x8", "--elastic-share", "2");
        assertTrue(bad.exit() != 0 && bad.err().contains("--elastic-share must be in [0, 1]"), bad.toString());
        assertFalse(bad.hasStackTrace(), bad.toString());
    }

    @Test
    void anUnknownPolicyIsAUsageError() {
        Cli.Result r = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "2x4", "--policy", "fifo,lottery");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("unknown policy 'lottery'"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
    }

    @Test
    void tiresiasQueueOrderIsChecked() {
        Cli.Result ok = Cli.run("simulate", "--trace", "synthetic:200", "--cluster", "2x8", "--policy", "tiresias", "--tiresias-order", "entry");
        assertEquals(0, ok.exit(), ok.toString());
        Cli.Result r = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "2x4", "--policy", "tiresias", "--tiresias-order", "random");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--tiresias-order must be arrival or entry"), r.toString());
    }

    @Test
    void aBadClusterSpecIsAUsageError() {
        Cli.Result r = Cli.run("simulate", "--trace", "synthetic:10", "--cluster", "lots");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("cluster spec 'lots'"), r.toString());
    }

    @Test
    void aMalformedTraceNamesItsLine() throws IOException {
        Path f = dir.resolve("runtimes.csv");
        Files.writeString(f, "runtime\n10\nabc\n");
        Cli.Result r = Cli.run("simulate", "--trace", f.toString(), "--cluster", "2x4");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("runtimes.csv:3:") && r.err().contains("runtime is not a finite number"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
    }

    @Test
    void anAlibabaPodListOnItsNodeListSharesGpusAndComparesPlacements() throws IOException {
        Path pods = dir.resolve("openb_pod_list_test.csv"), nodes = dir.resolve("openb_node_list_test.csv");
        Files.writeString(pods, """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                pod-0,4000,16384,1,500,,LS,Running,0,3600,0
                pod-1,4000,16384,1,300,,BE,Running,10,1800,10
                pod-2,16000,65536,2,1000,,LS,Running,20,7200,20
                pod-3,2000,8192,1,700,,BE,Running,30,600,30
                """);
        Files.writeString(nodes, "sn,cpu_milli,memory_mib,gpu,model\nn0,32000,131072,2,T4\nn1,96000,262144,8,V100M32\nn2,32000,131072,0,\n");
        Cli.Result r = Cli.run("simulate", "--trace", pods.toString(), "--nodes", nodes.toString(), "--policy", "fifo,sjf,drf",
                "--placement", "packing,first-fit,random");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("2 GPU nodes") && r.out().contains("1 without GPUs") && r.out().contains("3 share a GPU"), r.toString());
        assertEquals(9, r.out().lines().filter(l -> l.matches("^(fifo|sjf|drf) +(packing|first-fit|random) .*")).count(), r.toString());
        Cli.Result hived = Cli.run("simulate", "--trace", pods.toString(), "--cluster", "2x8", "--policy", "gandiva");
        assertTrue(hived.exit() != 0 && hived.err().contains("openb_pod_list_test.csv:2") && hived.err().contains("whole GPUs only"), hived.toString());
        assertFalse(hived.hasStackTrace(), hived.toString());
        Cli.Result neither = Cli.run("simulate", "--trace", pods.toString());
        assertTrue(neither.exit() == 2 && neither.err().contains("--cluster SPEC or --nodes FILE"), neither.toString());
    }
}
