package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sinter.automl.nas.DerivedNetwork;
import org.sinter.automl.nas.Genotype;
import org.sinter.data.datasets.FashionMNIST;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sinter hpo nas} (a tiny search end to end, and its usage errors), {@code sinter hpo serve}'s usage errors and
 * {@code hpo run --constant-liar}.
 */
class HpoNasServeCommandTest {
    @TempDir Path dir;

    @Test
    void tinyNasRunWritesACellAModelAndAReport() throws Exception {
        assumeTrue(FashionMNIST.isInstalled(), "Debian's dataset-fashion-mnist is not installed: hpo nas test skipped");
        Path out = dir.resolve("nas");
        Cli.Result r = Cli.run("hpo", "nas", "--channels", "2", "--search-epochs", "2", "--warmup-epochs", "1", "--batch-size", "32",
                "--train", "96", "--validation", "64", "--test", "100", "--retrain-epochs", "1", "--random-cells", "2", "--out", out.toString());
        assertEquals(0, r.exit(), r.toString());
        Genotype cell = Genotype.fromJson(Files.readString(out.resolve("genotype.json")));
        assertEquals(3, cell.nodeCount());
        assertTrue(r.out().contains("DARTS cell: " + cell), r.toString());
        DerivedNetwork model = DerivedNetwork.load(out.resolve("model.safetensors"));
        assertEquals(cell, model.genotype());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(3, report.get("retrained").size(), "DARTS' cell and two random cells");
        assertEquals("darts", report.at("/retrained/0/method").asText());
        assertEquals(cell, Genotype.fromJson(report.at("/retrained/0/genotype_json").asText()));
        assertEquals(2, report.get("darts_epochs").size());
        double median = report.get("median_random_test_accuracy").asDouble();
        double a = report.at("/retrained/1/test_accuracy").asDouble(), b = report.at("/retrained/2/test_accuracy").asDouble();
        assertEquals((a + b) / 2, median, 1e-12);
    }

    @Test
    void nasUsageErrors() {
        Cli.Result r = Cli.run("hpo", "nas", "--search-epochs", "3", "--warmup-epochs", "3", "--out", dir.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("warmup"), r.toString());
        r = Cli.run("hpo", "nas", "--data", dir.resolve("nowhere").toString(), "--out", dir.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("no Fashion-MNIST in"), r.toString());
        r = Cli.run("hpo", "nas", "--random-cells", "-1", "--out", dir.toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--random-cells"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
    }

    @Test
    void serveUsageErrors() throws Exception {
        Cli.Result r = Cli.run("hpo", "serve", "nope", "--db", dir.resolve("none.db").toString(), "--port", "0");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("none.db"), r.toString());
        r = Cli.run("hpo", "serve", "--db", dir.resolve("none.db").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("which experiment?"), r.toString());
        r = Cli.run("hpo", "serve", "a", "--experiment", "b");
        assertEquals(2, r.exit(), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
    }

    @Test
    void constantLiarRunsAndIsRecordedWithTheTuner() throws Exception {
        Path space = Files.writeString(dir.resolve("space.json"), "{\"x\": {\"_type\": \"uniform\", \"_value\": [-2, 2]}}");
        Path trial = Files.writeString(dir.resolve("trial.py"), """
                import json, os
                p = json.loads(os.environ["SINTER_PARAMETERS"])
                print("SINTER_RESULT", (p["x"] - 0.5) ** 2)
                """);
        Path db = dir.resolve("hpo.db");
        Cli.Result r = Cli.run("hpo", "run", "--space", space.toString(), "--tuner", "gp", "--startup-trials", "2", "--constant-liar",
                "--trials", "5", "--concurrency", "2", "--name", "liar", "--db", db.toString(), "--", "/usr/bin/python3", trial.toString());
        assertEquals(0, r.exit(), r.toString());
        r = Cli.run("hpo", "show", "liar", "--db", db.toString());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("gp(startup=2)+constant-liar"), r.toString());
        r = Cli.run("hpo", "run", "--space", space.toString(), "--tuner", "gp", "--startup-trials", "2", "--trials", "6", "--concurrency", "2",
                "--name", "liar", "--db", db.toString(), "--", "/usr/bin/python3", trial.toString());
        assertEquals(2, r.exit(), "a resume without the liar is another tuner: " + r);
        r = Cli.run("hpo", "run", "--space", space.toString(), "--tuner", "random", "--constant-liar", "--trials", "2", "--db", db.toString(), "--", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--constant-liar is for a model-based --tuner"), r.toString());
    }
}
