package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.learned.data.KeySets;

class KeySetsTest {
    @TempDir
    Path dir;

    @Test
    void syntheticSetsAreSortedSizedAndRepeatable() {
        for (String name : KeySets.SYNTHETIC) {
            long[] a = KeySets.load(name, 3_000_000, 5), b = KeySets.load(name, 3_000_000, 5);
            assertEquals(3_000_000, a.length, name);
            assertArrayEquals(a, b, name + " is not deterministic for a seed");
            for (int i = 1; i < a.length; i++) assertTrue(a[i - 1] <= a[i], name + " not sorted at " + i);
            assertTrue(!Arrays.equals(a, KeySets.load(name, 3_000_000, 6)), name + " ignores the seed");
        }
        long distinct = Arrays.stream(KeySets.load("duplicates", 80_000, 1)).distinct().count();
        assertTrue(distinct <= 10_000, "duplicates: " + distinct + " distinct keys");
        long[] sparse = KeySets.load("sparse", 100_000, 1);
        assertTrue(sparse[0] < 0 && sparse[sparse.length - 1] > 0, "sparse spans the signed range");
    }

    @Test
    void wordsHashEveryWordOfAText() throws IOException {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "The index, the INDEX; the model!\nÉcole 42\n");
        long[] keys = KeySets.load("words:" + text, 100, 0);
        assertEquals(8, keys.length, "the index the index the model école 42");
        assertEquals(5, Arrays.stream(keys).distinct().count(), "the, index, model, école, 42: case folded");
    }

    @Test
    void theBundledTextGivesAZipfianKeySet() {
        long[] keys = KeySets.load("words", Integer.MAX_VALUE, 0);
        assertTrue(keys.length > 200_000, "words: " + keys.length);
        long distinct = Arrays.stream(keys).distinct().count();
        assertTrue(distinct > 5_000 && distinct < keys.length / 10, "distinct words: " + distinct);
    }

    @Test
    void realTracesLoadWhenPresent() {
        Path traces = KeySets.SHARED_TRACES;
        assumeTrue(Files.isDirectory(Path.of("..").resolve(traces)) || Files.isDirectory(traces), "no ../shared/data/traces here");
        Path base = Files.isDirectory(traces) ? traces : Path.of("..").resolve(traces);
        long[] arrivals = KeySets.load("arrivals:" + base.resolve("gavel-msr-seed0"), Integer.MAX_VALUE, 0);
        assertTrue(arrivals.length > 10_000, "arrivals: " + arrivals.length);
        long[] runtimes = KeySets.load("runtimes:" + base.resolve("philly_runtime.csv"), Integer.MAX_VALUE, 0);
        assertTrue(runtimes.length > 80_000, "runtimes: " + runtimes.length);
        assertEquals(1000, KeySets.load("runtimes:" + base.resolve("philly_runtime.csv"), 1000, 0).length, "n caps a real set");
    }

    @Test
    void malformedInputsNameTheFileAndLine() throws IOException {
        Path csv = dir.resolve("r.csv");
        Files.writeString(csv, "runtime\n1.5\nabc\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeySets.load("runtimes:" + csv, 10, 0));
        assertTrue(e.getMessage().contains("r.csv line 3") && e.getMessage().contains("'abc'"), e.getMessage());
        Path traces = Files.createDirectory(dir.resolve("tr"));
        Files.writeString(traces.resolve("a.trace"), "job\tcmd\t-n\t1\t100\n");
        e = assertThrows(IllegalArgumentException.class, () -> KeySets.load("arrivals:" + traces, 10, 0));
        assertTrue(e.getMessage().contains("a.trace line 1") && e.getMessage().contains("7 tab-separated"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeySets.load("words:" + dir.resolve("missing.txt"), 10, 0));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KeySets.load("zipf", 10, 0));
        assertTrue(e.getMessage().contains("unknown key set 'zipf'"), e.getMessage());
    }
}
