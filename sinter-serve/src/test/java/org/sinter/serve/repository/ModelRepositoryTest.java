package org.sinter.serve.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.serve.ServeException;
import org.sinter.serve.TestRepository;
import org.sinter.serve.batching.BatchObserver;

class ModelRepositoryTest {
    @TempDir
    Path root;

    private ModelRepository open() {
        return new ModelRepository(root, TestRepository.FACTORY, (m, v) -> BatchObserver.NONE);
    }

    private static float[] run(LoadedVersion v, Tensor x) throws Exception {
        return v.batcher().submit(new Tensor[] {x}, 0, 0).get(10, TimeUnit.SECONDS)[0].toFloatArray();
    }

    private static float[] expected(long version, Tensor x) {
        try (var _ = Sinter.noGrad()) {
            return TestRepository.tiny(version).forward(x).toFloatArray();
        }
    }

    @Test
    void servesTheLatestVersionsWithTheirOwnWeights() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1, 2, 3);
        try (ModelRepository repo = open()) {
            repo.loadAll();
            assertEquals(List.of(2L, 3L), repo.versions("tiny"), "latest 2 of {1, 2, 3}");
            Tensor x = Tensor.of(new float[] {1, -2, 3, 0.5f}, 1, 4);
            assertArrayEquals(expected(3, x), run(repo.get("tiny", null), x), 1e-6f);
            assertArrayEquals(expected(2, x), run(repo.get("tiny", 2L), x), 1e-6f);
            ServeException e = assertThrows(ServeException.class, () -> repo.get("tiny", 1L));
            assertEquals(404, e.status);
        }
    }

    @Test
    void aBrokenModelIsReportedWithItsReasonAndTheOthersServe() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        TestRepository.model(root, "wrongshape", TestRepository.TINY_CONFIG.replace("[4]", "[5]"), 1);
        TestRepository.model(root, "onnxmodel", TestRepository.TINY_CONFIG.replace("\"sinter\"", "\"onnx\""), 1);
        TestRepository.model(root, "noweights", TestRepository.TINY_CONFIG);
        try (ModelRepository repo = open()) {
            repo.loadAll();
            repo.get("tiny", null);
            List<IndexEntry> index = repo.index();
            assertEquals(4, index.size());
            String wrong = reason(index, "wrongshape");
            assertTrue(wrong.contains("rejects an input shaped as config.json declares"), wrong);
            assertTrue(reason(index, "onnxmodel").contains("needs a model.onnx"), reason(index, "onnxmodel"));
            assertTrue(reason(index, "noweights").contains("no version directory"), reason(index, "noweights"));
            ServeException e = assertThrows(ServeException.class, () -> repo.get("wrongshape", null));
            assertEquals(400, e.status);
            assertTrue(e.getMessage().contains("is not ready"), e.getMessage());
            assertEquals(404, assertThrows(ServeException.class, () -> repo.get("nosuch", null)).status);
        }
    }

    @Test
    void unloadLoadAndReloadThroughTheApi() throws Exception {
        Path dir = TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG.replace("\"num_versions\": 2", "\"num_versions\": 1"), 1);
        try (ModelRepository repo = open()) {
            repo.loadAll();
            LoadedVersion v1 = repo.get("tiny", null);
            repo.unload("tiny");
            assertThrows(ServeException.class, () -> repo.get("tiny", null));
            assertEquals("unloaded", repo.index().getFirst().reason());
            TestRepository.version(dir, 2);
            repo.load("tiny");
            assertEquals(2L, repo.get("tiny", null).version());
            assertThrows(RuntimeException.class, () -> v1.batcher().submit(new Tensor[] {Tensor.zeros(1, 4)}, 0, 0), "the unloaded version refuses work");
            // a reload that fails leaves the served version in place and says why
            Files.writeString(dir.resolve("config.json"), "{ not json");
            assertThrows(ServeException.class, () -> repo.load("tiny"));
            assertEquals(2L, repo.get("tiny", null).version());
            assertTrue(repo.index().getFirst().reason().startsWith("reload failed, previous versions still serving"), repo.index().getFirst().reason());
        }
    }

    @Test
    void aFailedLoadOfAModelNotInTheRepositoryLeavesNoEntry() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        try (ModelRepository repo = open()) {
            repo.loadAll();
            ServeException e = assertThrows(ServeException.class, () -> repo.load("absent"));
            assertEquals(400, e.status);
            assertTrue(e.getMessage().contains("failed to load 'absent': no model directory"), e.getMessage());
            assertEquals(List.of("tiny"), repo.index().stream().map(IndexEntry::name).toList(), "the index lists the repository's models");
            assertEquals(404, assertThrows(ServeException.class, () -> repo.get("absent", null)).status, "still an unknown model");
            // A model unloaded and then removed from the directory leaves the index too.
            repo.unload("tiny");
            assertEquals("unloaded", repo.index().getFirst().reason());
            try (var s = Files.walk(root.resolve("tiny"))) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            assertEquals(List.of(), repo.index());
            assertEquals(404, assertThrows(ServeException.class, () -> repo.get("tiny", null)).status);
            assertEquals(400, assertThrows(ServeException.class, () -> repo.load("tiny")).status);
            assertEquals(404, assertThrows(ServeException.class, () -> repo.get("tiny", null)).status);
        }
    }

    @Test
    void pollingPicksUpNewChangedAndRemovedModels() throws Exception {
        TestRepository.model(root, "tiny", TestRepository.TINY_CONFIG, 1);
        try (ModelRepository repo = open()) {
            repo.loadAll();
            repo.poll();
            LoadedVersion before = repo.get("tiny", null);
            repo.poll();
            assertTrue(before == repo.get("tiny", null), "an unchanged model is not reloaded");
            TestRepository.model(root, "second", TestRepository.TINY_CONFIG, 4);
            TestRepository.version(root.resolve("tiny"), 2);
            Path cfg = root.resolve("tiny").resolve("config.json");
            Files.setLastModifiedTime(cfg, FileTime.fromMillis(Files.getLastModifiedTime(cfg).toMillis() + 5000));
            repo.poll();
            assertEquals(List.of(1L, 2L), repo.versions("tiny"));
            assertEquals(4L, repo.get("second", null).version());
            try (var s = Files.walk(root.resolve("second"))) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            repo.poll();
            assertThrows(ServeException.class, () -> repo.get("second", null));
        }
    }

    @Test
    void servesAnOnnxModelExportedByPyTorch() throws Exception {
        // sinter-onnx's PyTorch 1.13 export of an MLP (20 → 5), with PyTorch's output for its input.
        Path onnx = Path.of("..", "sinter-onnx", "src", "test", "resources", "pytorch", "mlp");
        Path dir = root.resolve("mlp");
        Files.createDirectories(dir.resolve("1"));
        Files.copy(onnx.resolve("model.onnx"), dir.resolve("1").resolve("model.onnx"));
        Files.writeString(dir.resolve("config.json"), """
                {"platform": "onnx", "max_batch_size": 16,
                 "input": [{"name": "input", "datatype": "FP32", "shape": [20]}],
                 "output": [{"name": "output", "datatype": "FP32", "shape": [5]}],
                 "dynamic_batching": {"max_queue_delay_microseconds": 100}}
                """);
        try (ModelRepository repo = open()) {
            repo.loadAll();
            Tensor x = org.sinter.onnx.Npy.read(onnx.resolve("input.npy")), want = org.sinter.onnx.Npy.read(onnx.resolve("output.npy"));
            float[] got = run(repo.get("mlp", null), x), w = want.toFloatArray();
            assertEquals(w.length, got.length);
            for (int i = 0; i < w.length; i++) assertEquals(w[i], got[i], 1e-4 * (1 + Math.abs(w[i])), "element " + i);
        }
        // A config whose names are not the graph's is refused at load, naming them.
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json")).replace("\"name\": \"input\"", "\"name\": \"pixels\""));
        try (ModelRepository repo = open()) {
            repo.loadAll();
            String why = reason(repo.index(), "mlp");
            assertTrue(why.contains("'pixels' is not an input of the ONNX graph"), why);
        }
    }

    private static String reason(List<IndexEntry> index, String name) {
        return index.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow().reason();
    }
}
