package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sinter hpo run|list|show} over a Python trial program. */
class HpoCommandTest {
    @TempDir Path dir;

    private Path space() throws Exception {
        return Files.writeString(dir.resolve("space.json"), """
                {"lr": {"_type": "loguniform", "_value": [1e-4, 0.1]},
                 "opt": {"_type": "choice", "_value": ["adam", "sgd"]}}""");
    }

    private Path trial() throws Exception {
        // accuracy peaks at lr = 1e-2 with adam
        return Files.writeString(dir.resolve("trial.py"), """
                import json, math, os
                p = json.loads(os.environ["SINTER_PARAMETERS"])
                acc = 0.9 - 0.05 * (math.log10(p["lr"]) + 2) ** 2 - (0.1 if p["opt"] == "sgd" else 0)
                print("SINTER_INTERMEDIATE", acc / 2, flush=True)
                print("SINTER_RESULT", acc)
                """);
    }

    @Test
    void runsListsAndShowsAnExperiment() throws Exception {
        Path db = dir.resolve("hpo.db");
        Cli.Result r = Cli.run("hpo", "run", "--space", space().toString(), "--tuner", "tpe", "--trials", "6", "--concurrency", "2",
                "--maximize", "--name", "lab", "--db", db.toString(), "--", "/usr/bin/python3", trial().toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("done: 6 trials, 6 succeeded"), r.toString());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("trial ")).count(), r.toString());
        assertTrue(Files.readString(dir.resolve("lab").resolve("trial-0.log")).contains("SINTER_RESULT"));

        // Same name, larger budget: resumes and adds two trials.
        r = Cli.run("hpo", "run", "--space", space().toString(), "--tuner", "tpe", "--trials", "8", "--maximize", "--name", "lab",
                "--db", db.toString(), "--", "/usr/bin/python3", trial().toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(2, r.out().lines().filter(l -> l.startsWith("trial ")).count(), r.toString());
        assertTrue(r.out().contains("done: 8 trials"), r.toString());

        r = Cli.run("hpo", "list", "--db", db.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("lab ") && l.contains("tpe") && l.contains("8/8")), r.toString());

        r = Cli.run("hpo", "show", "lab", "--db", db.toString());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(8, r.out().lines().filter(l -> l.contains("SUCCEEDED")).count(), r.toString());
        assertTrue(r.out().contains("best: trial"), r.toString());

        Path report = dir.resolve("report.html");
        r = Cli.run("hpo", "view", "lab", "--db", db.toString(), "--out", report.toString());
        assertEquals(0, r.exit(), r.toString());
        String html = Files.readString(report);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"), "a whole page");
        assertTrue(html.contains("8 of 8 trials finished"), html);
        assertEquals(8, html.split("<polyline class=\"trial\"", -1).length - 1, "one parallel-coordinates line per trial");
        assertEquals(9, html.split("<polyline class=\"curve\"", -1).length - 1, "best-so-far plus 8 intermediate curves");
        assertEquals(9, html.split("<tr>", -1).length - 1, "header and 8 trial rows");
        r = Cli.run("hpo", "view", "nope", "--db", db.toString());
        assertEquals(2, r.exit(), r.toString());
    }

    @Test
    void badInputIsAOneLineUsageError() throws Exception {
        Path db = dir.resolve("hpo.db");
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"lr\": {\"_type\": \"loguniform\", \"_value\": [0, 1]}}");
        Cli.Result r = Cli.run("hpo", "run", "--space", bad.toString(), "--trials", "2", "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("parameter 'lr': loguniform needs low > 0"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());

        r = Cli.run("hpo", "run", "--space", space().toString(), "--tuner", "smac9", "--trials", "2", "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("unknown tuner 'smac9'"), r.toString());

        r = Cli.run("hpo", "run", "--space", space().toString(), "--trials", "2", "--name", "x", "--db", db.toString(), "--", "true");
        assertEquals(1, r.exit(), r.toString()); // `true` prints no result: both trials fail
        assertTrue(r.out().contains("exited without printing a SINTER_RESULT line"), r.toString());
        r = Cli.run("hpo", "run", "--space", space().toString(), "--tuner", "random", "--trials", "2", "--name", "x", "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("another tuner (tpe stored, random given)"), r.toString());

        r = Cli.run("hpo", "show", "nope", "--db", db.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("no experiment 'nope'"), r.toString());

        r = Cli.run("hpo", "run", "--space", space().toString(), "--tuner", "random", "--startup-trials", "4", "--trials", "2",
                "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--startup-trials: tuner 'random' has none"), r.toString());
        r = Cli.run("hpo", "run", "--space", space().toString(), "--assessor", "curvefitting", "--trials", "2", "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("needs --max-step"), r.toString());
    }

    @Test
    void ashaJobsGetTheirBudgetAndResumeFromTheirCheckpoint() throws Exception {
        // "Trains" one epoch per budget unit from the epoch its checkpoint holds; accuracy grows with epochs.
        Path trial = Files.writeString(dir.resolve("epochs.py"), """
                import json, math, os
                p = json.loads(os.environ["SINTER_PARAMETERS"])
                budget = int(os.environ["SINTER_BUDGET"])
                ck = os.path.join(os.environ["SINTER_CHECKPOINT_DIR"], "epoch")
                start = int(open(ck).read()) if os.path.exists(ck) else 0
                base = 0.9 - 0.05 * (math.log10(p["lr"]) + 2) ** 2 - (0.1 if p["opt"] == "sgd" else 0)
                for e in range(start + 1, budget + 1):
                    open(ck + ".tmp", "w").write(str(e))
                    os.replace(ck + ".tmp", ck)
                    print("SINTER_INTERMEDIATE", base - 0.1 / e, flush=True)
                print("SINTER_RESULT", base - 0.1 / budget)
                """);
        Path db = dir.resolve("hpo.db");
        Cli.Result r = Cli.run("hpo", "run", "--space", space().toString(), "--scheduler", "asha", "--tuner", "random", "--trials", "9",
                "--max-budget", "9", "--concurrency", "2", "--maximize", "--name", "asha", "--db", db.toString(), "--",
                "/usr/bin/python3", trial.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("asha(random) budget 1-9 eta 3"), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("rung 1, budget 3)")), r.toString());
        assertTrue(r.out().contains("9 configurations"), r.toString());
        r = Cli.run("hpo", "show", "asha", "--db", db.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("CONFIG RUNG  BUDGET"), r.toString());
        // A rung-1 job resumed at epoch 1 and trained epochs 2 and 3 only: two intermediate results.
        assertTrue(r.out().lines().anyMatch(l -> l.contains("SUCCEEDED") && l.matches(".*\\s2\\s+\\d+\\s+1\\s+3\\s.*")), r.toString());

        r = Cli.run("hpo", "run", "--space", space().toString(), "--scheduler", "hyperband", "--trials", "3", "--max-budget", "9",
                "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("runs --rounds of its brackets, not --trials"), r.toString());
        r = Cli.run("hpo", "run", "--space", space().toString(), "--scheduler", "asha", "--trials", "3", "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("needs --max-budget"), r.toString());
        r = Cli.run("hpo", "run", "--space", space().toString(), "--scheduler", "asha", "--trials", "9", "--max-budget", "27",
                "--maximize", "--name", "asha", "--db", db.toString(), "--", "/usr/bin/python3", trial.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("another tuner (asha(random) budget 1-9 eta 3 stored"), r.toString());
        r = Cli.run("hpo", "lab8-trial");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("lab8-trial is a trial program"), r.toString());
    }
}
