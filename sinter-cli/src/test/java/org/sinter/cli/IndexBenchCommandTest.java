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

/** {@code sinter bench index}: the table, the mix, the files under --out, and one-line errors. */
class IndexBenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsTheTableAndWritesCsvAndPlot() throws IOException {
        Path out = dir.resolve("bench");
        Cli.Result r = Cli.run("bench", "index", "--keys", "lognormal", "--n", "20k", "--lookups", "5k", "--repeats", "1",
                "--structures", "binary,btree,treemap,rmi:cubic:64,pgm:32", "--mix", "--mix-ops", "4k", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        for (String s : List.of("binary search", "B+-tree", "TreeMap", "RMI cubic 2^6", "PGM eps=32", "delta + PGM eps=64 exp")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(s + " ")), s + "\n" + r);
        }
        assertTrue(r.out().contains("x binary") && r.out().contains("mem/btree"), r.toString());
        List<String> csv = Files.readAllLines(out.resolve("lookups.csv"));
        assertEquals(6, csv.size(), "a header and five structures");
        assertTrue(csv.getFirst().startsWith("structure,build_s,index_bytes"));
        assertEquals(4, Files.readAllLines(out.resolve("mix.csv")).size());
        assertTrue(Files.size(out.resolve("latency.png")) > 1000);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Cli.Result r = Cli.run("bench", "index", "--keys", "zipf", "--n", "1k");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("unknown key set 'zipf'"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
        r = Cli.run("bench", "index", "--n", "lots");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("not a count: 'lots'"), r.toString());
        r = Cli.run("bench", "index", "--n", "1k", "--structures", "pgm:0");
        assertEquals(2, r.exit(), r.toString());
        r = Cli.run("bench", "index", "--n", "1k", "--structures", "skiplist");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("unknown index structure 'skiplist'"), r.toString());
    }
}
