package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinter tune}: trials logged and resumed, the summary table, the plot, one-line errors. */
class TuneCommandTest {
    @TempDir
    Path dir;

    private static long baselines(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains("\"template\":\"builtin\"") && !sideBySide(l)).count();
    }

    /** Records of the side-by-side timings after tuning: a tuned kernel and the built-in, timed in turn. */
    private static long sideBySide(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(TuneCommandTest::sideBySide).count();
    }

    private static boolean sideBySide(String line) {
        return line.contains("\"explorer\":\"side_by_side\"");
    }

    private static long trials(Path log) throws IOException {
        return Files.readAllLines(log).size() - baselines(log) - sideBySide(log);
    }

    @Test
    void tunesALayerResumesFromItsLogAndPlots() throws IOException {
        Path log = dir.resolve("t.jsonl");
        Cli.Result r = Cli.run("tune", "--model", "resnet18", "--layers", "C12", "--trials", "3", "--explorer", "random", "--batch", "2",
                "--log", log.toString(), "--threads", "1");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(3, trials(log));
        assertEquals(1, baselines(log), "each run logs the built-in kernel's baseline once per workload");
        assertEquals(2, sideBySide(log), "and after tuning one side-by-side pair per workload: the best finalist and the built-in");
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("| C12 |") && l.contains("| 3 |")
                && (l.contains("| tuned |") || l.contains("| built-in |"))), r.toString());
        r = Cli.run("tune", "--layers", "C12", "--trials", "4", "--explorer", "random", "--log", log.toString(), "--threads", "1");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(4, trials(log), "the resumed run measures only the fourth trial");
        assertEquals(2, baselines(log), "and the built-in kernel anew");
        assertEquals(4, sideBySide(log));
        assertTrue(Files.size(dir.resolve("t.png")) > 1000);
    }

    @Test
    void badOptionsAreOneLineErrors() {
        Cli.Result r = Cli.run("tune", "--explorer", "bayesian", "--log", dir.resolve("x.jsonl").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("unknown explorer bayesian"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
        r = Cli.run("tune", "--layers", "C13", "--log", dir.resolve("x.jsonl").toString());
        assertTrue(r.err().contains("no layer C13"), r.toString());
        r = Cli.run("tune", "--model", "gpt", "--log", dir.resolve("x.jsonl").toString());
        assertTrue(r.err().contains("--model resnet18"), r.toString());
    }
}
