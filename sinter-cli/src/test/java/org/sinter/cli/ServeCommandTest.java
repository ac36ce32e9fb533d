package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.nn.io.SafeTensors;
import org.sinter.serve.grpc.GrpcInferenceServer;
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
        r = Cli.run("serve", "--repository", dir.toString(), "--threads", "0");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("--threads"), r.toString());
    }

    @Test
    void perfRefusesBothModesAndAnUnknownDistribution() {
        Cli.Result r = Cli.run("perf", "-m", "x", "--concurrency", "2", "--request-rate", "10");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("not both"), r.toString());
        r = Cli.run("perf", "-m", "x", "--request-rate", "10", "--request-distribution", "uniform");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("constant or poisson"), r.toString());
        r = Cli.run("perf", "-m", "x", "--request-rate", "0");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("--request-rate"), r.toString());
        r = Cli.run("perf", "-m", "x", "--concurrency", "2", "--threads", "0");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("--threads"), r.toString());
        r = Cli.run("perf", "-m", "x", "--protocol", "websocket");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("http or grpc"), r.toString());
        r = Cli.run("perf", "-m", "x", "-i", "grpc", "--url", "http://127.0.0.1:8000/v2");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("host:port"), r.toString());
        r = Cli.run("perf", "-m", "x", "-i", "grpc", "--binary");
        assertEquals(Errors.USAGE, r.exit(), r.toString());
        assertTrue(r.err().contains("--binary is for HTTP"), r.toString());
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
            try (InferenceServer server = new InferenceServer(repo, metrics, InferenceServer.Options.defaults().withPort(0)).start();
                 GrpcInferenceServer grpc = new GrpcInferenceServer(repo, server.service(), 1 << 12, server::isReady, new InetSocketAddress("127.0.0.1", 0))) {
                Path csv = dir.resolve("perf.csv");
                // No warm-up: each client's first request is sent inside the window and counted, so the
                // step has answers however slow the machine is.
                Cli.Result r = Cli.run("perf", "--url", "http://127.0.0.1:" + server.port(), "-m", "lab1cnn", "--concurrency", "2",
                        "--duration", "1", "--warmup", "0", "--csv", csv.toString());
                assertEquals(0, r.exit(), r.toString());
                List<String> rows = Files.readAllLines(csv);
                assertEquals(2, rows.size(), rows.toString());
                String[] cells = rows.get(1).split(",");
                assertEquals("2", cells[0]);
                assertTrue(Long.parseLong(cells[1]) > 0, "no request answered: " + rows);
                assertEquals("0", cells[2], "failed requests: " + rows);

                // The same with the binary tensor data extension, on one event loop: every answer a 200,
                // and the generator's own CPU per request reported.
                r = Cli.run("perf", "--url", "http://127.0.0.1:" + server.port(), "-m", "lab1cnn", "--concurrency", "2",
                        "--threads", "1", "--binary", "--duration", "1", "--warmup", "0", "--csv", csv.toString());
                assertEquals(0, r.exit(), r.toString());
                assertTrue(r.out().contains("binary-extension"), r.toString());
                rows = Files.readAllLines(csv);
                assertTrue(rows.get(0).endsWith(",client_cpu_us_per_request"), rows.toString());
                cells = rows.get(1).split(",");
                assertTrue(Long.parseLong(cells[1]) > 0, "no request answered: " + rows);
                assertEquals("0", cells[2], "failed requests: " + rows);
                assertTrue(Double.parseDouble(cells[8]) > 0, "no client CPU reported: " + rows);

                // The same over gRPC: ModelInfer calls with raw input contents, every answer OK.
                r = Cli.run("perf", "-i", "grpc", "--url", "127.0.0.1:" + grpc.port(), "-m", "lab1cnn", "--concurrency", "2",
                        "--duration", "1", "--warmup", "0", "--csv", csv.toString());
                assertEquals(0, r.exit(), r.toString());
                assertTrue(r.out().contains("gRPC requests"), r.toString());
                cells = Files.readAllLines(csv).get(1).split(",");
                assertTrue(Long.parseLong(cells[1]) > 0, "no gRPC call answered: " + r);
                assertEquals("0", cells[2], "failed gRPC calls: " + r);

                // Open loop, Poisson arrivals, with the sweep drawn as a PNG.
                Path rateCsv = dir.resolve("rate.csv");
                Path png = dir.resolve("rate.png");
                r = Cli.run("perf", "--url", "http://127.0.0.1:" + server.port(), "-m", "lab1cnn", "--request-rate", "20,40",
                        "--request-distribution", "poisson", "--duration", "1", "--warmup", "0.2", "--csv", rateCsv.toString(),
                        "--plot", png.toString());
                assertEquals(0, r.exit(), r.toString());
                rows = Files.readAllLines(rateCsv);
                assertEquals(3, rows.size(), rows.toString());
                assertTrue(rows.get(0).startsWith("request_rate,sent_rate,"), rows.toString());
                assertEquals("20.00", rows.get(1).split(",")[0], rows.toString());
                assertEquals("40.00", rows.get(2).split(",")[0], rows.toString());
                java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
                assertTrue(img != null && img.getWidth() > 200, "no PNG written: " + png);
            }
        }
    }
}
