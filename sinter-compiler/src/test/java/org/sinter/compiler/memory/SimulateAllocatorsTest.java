package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: logs from files, synthetic logs marked as such, usage errors. */
class SimulateAllocatorsTest {
    private record Output(int status, String out, String err) {}

    private static Output run(String... args) throws IOException {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int status = SimulateAllocators.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tabulatesALogFile(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("tiny.log");
        Files.writeString(log, AllocationLog.HEADER + "\nalloc 0 1000 a\nalloc 1 3000 b\nfree 0\n");
        Output o = run("--warm-up-ms", "0", "--samples", "1", log.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("| tiny.log | first-fit | 2 | 3.91 KiB | 4.00 KiB | 2.3% | 0.0% |"), o.out());
        assertTrue(o.out().contains("| tiny.log | bfc | 2 | 3.91 KiB | 2.00 MiB |"), o.out());
        assertTrue(!o.out().contains("SYNTHETIC"), "a real log is not called synthetic");
    }

    @Test
    void syntheticLogsAreMarkedAndCanBeSaved(@TempDir Path dir) throws IOException {
        Output o = run("--warm-up-ms", "0", "--samples", "1", "--synthetic", "cnn", "--save-synthetic", dir.toString());
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().startsWith("SYNTHETIC logs below"), o.out());
        assertTrue(o.out().contains("| lab1-cnn (synthetic) | buddy |"), o.out());
        Path saved = dir.resolve("lab1-cnn-synthetic.alloc.log");
        assertEquals(SyntheticTrainingLogs.lab1Cnn(64, SimulateAllocators.STEPS), AllocationLog.read(saved));
    }

    @Test
    void badArgumentsPrintTheUsage(@TempDir Path dir) throws IOException {
        for (String[] args : new String[][] {{}, {"--synthetic", "vgg"}, {"--frobnicate"}, {"--samples"}}) {
            Output o = run(args);
            assertEquals(2, o.status());
            assertTrue(o.err().endsWith(SimulateAllocators.USAGE + System.lineSeparator()), o.err());
        }
        Output missing = run(dir.resolve("missing.log").toString());
        assertEquals(1, missing.status());
        assertTrue(missing.err().startsWith("cannot read " + dir.resolve("missing.log")), missing.err());
        Path bad = dir.resolve("bad.log");
        Files.writeString(bad, AllocationLog.HEADER + "\nfree 3\n");
        Output o = run(bad.toString());
        assertEquals(2, o.status());
        assertTrue(o.err().startsWith(bad + ":2: id 3 is freed but not live"), o.err());
    }
}
