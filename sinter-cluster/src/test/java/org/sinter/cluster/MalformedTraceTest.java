package org.sinter.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.GavelTrace;
import org.sinter.cluster.trace.PhillyRuntimes;
import org.sinter.cluster.trace.Workloads;

/** Bad trace lines are reported with the file and line, and what is wrong with them. */
class MalformedTraceTest {
    @TempDir
    Path dir;

    private static final String GOOD = "ResNet-18 (batch size 32)\tcd x && python3 main.py\t--num_steps\t1\t1000\t6.000000\t1";

    private Path gavel(String... lines) throws IOException {
        Files.writeString(dir.resolve("simulation_throughputs.json"), """
                {"v100": {"('ResNet-18 (batch size 32)', 1)": {"null": 10.0}, "('ResNet-18 (batch size 32)', 2)": {"null": 18.0}}}
                """);
        Path f = dir.resolve("vc1.trace");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    private String error(Path trace) {
        return assertThrows(IllegalArgumentException.class, () -> GavelTrace.readFile(trace, "v100")).getMessage();
    }

    @Test
    void aGoodTraceTurnsStepsIntoSeconds() throws IOException {
        Path f = gavel(GOOD, GOOD.replace("\t1000\t6.000000\t1", "\t1800\t7.5\t2"));
        var jobs = GavelTrace.readFile(f, "v100").jobs();
        assertEquals(2, jobs.size());
        assertEquals(100, jobs.get(0).duration(), 1e-9); // 1000 steps at 10 steps/s
        assertEquals(100, jobs.get(1).duration(), 1e-9); // 1800 steps at 18 steps/s on 2 GPUs
        assertEquals("vc1", jobs.get(1).vc());
        assertEquals(2, jobs.get(1).gpus());
    }

    @Test
    void missingColumnsNameTheLine() throws IOException {
        String m = error(gavel(GOOD, "ResNet-18 (batch size 32)\tcmd\t--num_steps\t1\t1000\t6.0"));
        assertTrue(m.contains("vc1.trace:2:") && m.contains("expected 7 tab-separated fields") && m.contains("got 6"), m);
    }

    @Test
    void negativeArrivalNamesTheLine() throws IOException {
        String m = error(gavel(GOOD, GOOD, GOOD.replace("6.000000", "-3")));
        assertTrue(m.contains("vc1.trace:3:") && m.contains("arrival_time must be >= 0"), m);
    }

    @Test
    void aNonNumberNamesTheField() throws IOException {
        String m = error(gavel(GOOD.replace("\t1000\t", "\tmany\t")));
        assertTrue(m.contains("vc1.trace:1:") && m.contains("total_steps is not an integer: 'many'"), m);
    }

    @Test
    void anUnknownJobTypeNamesTheLine() throws IOException {
        String m = error(gavel(GOOD.replace("ResNet-18 (batch size 32)", "GPT-9")));
        assertTrue(m.contains("vc1.trace:1:") && m.contains("no throughput for job type 'GPT-9'"), m);
    }

    @Test
    void aJobLargerThanTheClusterNamesItsLine() throws IOException {
        var jobs = GavelTrace.readFile(gavel(GOOD, GOOD.replace("\t6.000000\t1", "\t6.000000\t2")), "v100").jobs();
        String m = assertThrows(IllegalArgumentException.class,
                () -> Simulator.run(jobs, ClusterSpec.parse("1x1"), new Fifo(), new ConsolidatePlacement(), 0, null)).getMessage();
        assertTrue(m.contains("vc1.trace:2: job needs 2 GPUs") && m.contains("has 1"), m);
    }

    @Test
    void runtimeListsRejectNegativeTimesAndAMissingHeader() throws IOException {
        Path f = dir.resolve("runtimes.csv");
        Files.writeString(f, "runtime\n12.5\n0.0\n-4\n");
        String m = assertThrows(IllegalArgumentException.class, () -> PhillyRuntimes.read(f, Integer.MAX_VALUE)).getMessage();
        assertTrue(m.contains("runtimes.csv:4:") && m.contains("runtime must be >= 0"), m);
        Files.writeString(f, "seconds\n12.5\n");
        m = assertThrows(IllegalArgumentException.class, () -> PhillyRuntimes.read(f, Integer.MAX_VALUE)).getMessage();
        assertTrue(m.contains("runtimes.csv:1:") && m.contains("expected the header 'runtime'"), m);
        Files.writeString(f, "runtime\n12.5\n0\n30\n");
        PhillyRuntimes.Loaded ok = PhillyRuntimes.read(f, Integer.MAX_VALUE);
        assertEquals(2, ok.durations().length);
        assertEquals(1, ok.skipped());
    }

    @Test
    void anUnknownFileSaysWhatTracesAreRead() throws IOException {
        Path f = dir.resolve("jobs.csv");
        Files.writeString(f, "name,gpus\n");
        String m = assertThrows(IllegalArgumentException.class, () -> Workloads.load(f.toString(), ClusterSpec.parse("2x4"),
                new Workloads.Options(0.9, 0, Integer.MAX_VALUE, "v100"))).getMessage();
        assertTrue(m.contains("jobs.csv:1:") && m.contains("not a known trace"), m);
    }
}
