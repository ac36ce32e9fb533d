package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.nn.io.SafeTensors;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/** `sinter serve`'s zoo factory and option checks, and `sinter perf` against a served Lab 1 CNN. */
class ServeCommandTest {
    @Test
    void theZooGivesImageModelsAndRefusesTextModels() {
        assertInstanceOf(Lab1Cnn.class, ServeCommand.zooModel("lab1cnn"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServeCommand.zooModel("gpt"));
        assertTrue(e.getMessage().contains("text model"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServeCommand.zooModel("vgg")).getMessage().contains("known"));
    }

    @Test
    void serveRefusesAMissingRepository(@TempDir Path dir) {
        Cli.Result r = Cli.run("serve", "--repository", dir.resolve("nope").toString());
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("is not a directory"), r.toString());
    }

    @Test
    void perfMeasuresAServedLab1Cnn(@TempDir Path dir) throws Exception {
        Path version = dir.resolve("repo/lab1cnn/1");
        Files.createDirectories(version);
        Sinter.manualSeed(3);
        SafeTensors.save(new Lab1Cnn().stateDict(), version.resolve("model.safetensors"), Map.of("model", "lab1cnn"));
        Files.writeString(dir.resolve("repo/lab1cnn/config.json"), """
                {"platform": "sinter", "model": "lab1cnn", "max_batch_size": 8,
                 "input": [{"name": "image", "datatype": "FP32", "shape": [1, 28, 28]}],
                 "output": [{"name": "log_probs", "datatype": "FP32", "shape": [10]}],
                 "dynamic_batching": {"max_queue_delay_microseconds": 100}}
                """);
        ServerMetrics metrics = new ServerMetrics();
        try (ModelRepository repo = new ModelRepository(dir.resolve("repo"), ServeCommand::zooModel, metrics::observer)) {
            repo.loadAll();
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start()) {
                Path csv = dir.resolve("perf.csv");
                Cli.Result r = Cli.run("perf", "--url", "http://127.0.0.1:" + server.port(), "-m", "lab1cnn", "--concurrency", "2",
                        "--duration", "1", "--warmup", "0.3", "--csv", csv.toString());
                assertEquals(0, r.exit(), r.toString());
                List<String> rows = Files.readAllLines(csv);
                assertEquals(2, rows.size(), rows.toString());
                String[] cells = rows.get(1).split(",");
                assertEquals("2", cells[0]);
                assertTrue(Long.parseLong(cells[1]) > 0, "no request answered: " + rows);
                assertEquals("0", cells[2], "failed requests: " + rows);
            }
        }
    }
}
