package org.sinter.profiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.Dispatch;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.ops.Custom;
import org.sinter.ops.Op;

class ProfilerTest {
    private final Generator g = new Generator(3);

    private List<String> names(Profiler prof, ProfilerEvent.Kind kind, int depth) {
        List<ProfilerEvent> es = new ArrayList<>(prof.events());
        es.sort(java.util.Comparator.comparingLong(ProfilerEvent::startNs));
        List<String> out = new ArrayList<>();
        for (ProfilerEvent e : es) if (e.kind() == kind && e.depth() == depth) out.add(e.name());
        return out;
    }

    @Test
    void recordsOpNamesCallsShapesAndBytes() {
        Tensor x = g.randn(DType.FLOAT32, 2, 3), y = g.randn(DType.FLOAT32, 2, 3);
        Profiler prof;
        try (Profiler p = Profiler.start()) {
            prof = p;
            for (int i = 0; i < 3; i++) x.add(y);
            x.view(3, 2);
            x.exp().sum();
        }
        x.mul(y); // after close: not recorded
        assertEquals(List.of("add", "add", "add", "view", "exp", "sum"), names(prof, ProfilerEvent.Kind.OP, 0));
        KeyAverages ka = prof.keyAverages();
        assertEquals(3, ka.get("add").calls());
        assertEquals(3 * 6 * 4, ka.get("add").selfBytes(), "three float32 [2, 3] results");
        assertEquals(0, ka.get("view").selfBytes(), "views allocate nothing");
        assertNull(ka.get("mul"));
        for (KeyAverages.Row r : ka.rows()) assertEquals(r.selfNs(), r.totalNs(), "top-level ops have no children");
        KeyAverages.Row add = prof.keyAverages(true).get("add");
        assertEquals("[[2, 3], [2, 3]]", add.inputShapes());
        long sum = 0;
        for (KeyAverages.Row r : ka.rows()) sum += r.selfNs();
        assertEquals(sum, ka.selfCpuTimeTotalNs());
    }

    @Test
    void backwardNodesNestTheOpsTheyCall() {
        Tensor w = g.randn(DType.FLOAT32, 2, 3).requiresGrad(true), b = g.randn(DType.FLOAT32, 3).requiresGrad(true);
        Tensor x = g.randn(DType.FLOAT32, 2, 3);
        Profiler prof;
        try (Profiler p = Profiler.start()) {
            prof = p;
            x.mul(w).add(b).sum().backward();
        }
        assertEquals(List.of("mul", "add", "sum"), names(prof, ProfilerEvent.Kind.OP, 0).subList(0, 3));
        List<String> backward = names(prof, ProfilerEvent.Kind.BACKWARD, 0);
        assertEquals(List.of("SumBackward0", "AddBackward0", "MulBackward0"), backward);
        for (ProfilerEvent parent : prof.events()) {
            if (parent.kind() != ProfilerEvent.Kind.BACKWARD) continue;
            long children = 0;
            for (ProfilerEvent c : prof.events()) {
                if (c.depth() == 1 && c.startNs() >= parent.startNs()
                        && c.startNs() + c.durationNs() <= parent.startNs() + parent.durationNs()) children += c.durationNs();
            }
            assertEquals(parent.durationNs() - children, parent.selfNs(), parent.name() + ": self = total - children");
        }
        assertTrue(names(prof, ProfilerEvent.Kind.OP, 1).contains("mul"), "MulBackward0 multiplies");
        KeyAverages.Row mulBack = prof.keyAverages().get("MulBackward0");
        assertTrue(mulBack.totalNs() >= mulBack.selfNs());
        assertNotNull(w.grad());
    }

    @Test
    void userRangesNestAndAreNoOpsWithoutAProfiler() {
        try (var _ = Profiler.record("outside")) {
            g.randn(DType.FLOAT32, 2).exp();
        }
        Profiler prof;
        try (Profiler p = Profiler.start()) {
            prof = p;
            try (var _ = Profiler.record("forward")) {
                g.randn(DType.FLOAT32, 4).exp().neg();
            }
        }
        assertEquals(List.of("forward"), names(prof, ProfilerEvent.Kind.USER, 0));
        // randn is an empty tensor filled by the normal_ primitive, as in PyTorch (aten::normal_).
        assertEquals(List.of("normal_", "exp", "neg"), names(prof, ProfilerEvent.Kind.OP, 1));
        KeyAverages.Row fwd = prof.keyAverages().get("forward");
        assertEquals(2 * 16, fwd.totalBytes());
        assertEquals(0, fwd.selfBytes());
    }

    @Test
    void keepsThePreviousListenerInformed() {
        List<String> seen = new ArrayList<>();
        Dispatch.OpListener counter = (token, op, in, out) -> seen.add(op.name());
        try (var _ = Dispatch.listen(counter)) {
            try (Profiler _ = Profiler.start()) {
                Tensor.ones(2).neg();
            }
            assertEquals(List.of("neg"), seen);
            Tensor.ones(2).exp();
            assertEquals(List.of("neg", "exp"), seen, "restored after the profiler closed");
            assertTrue(Dispatch.listener() == counter);
        }
    }

    @Test
    void tableLooksLikeTorchProfilers() {
        Profiler prof;
        try (Profiler p = Profiler.start()) {
            prof = p;
            Tensor a = g.randn(DType.FLOAT32, 8, 8);
            for (int i = 0; i < 4; i++) a = a.add(1.0);
            a.mul(a).sum();
        }
        String t = prof.keyAverages().table("count", 2);
        String[] lines = t.split("\n");
        assertTrue(lines[1].contains("Name") && lines[1].contains("Self CPU %") && lines[1].contains("CPU total")
                && lines[1].contains("CPU time avg") && lines[1].contains("# of Calls"), t);
        assertEquals(7, lines.length, "rule, header, rule, 2 rows, rule, total:\n" + t);
        assertTrue(lines[3].trim().startsWith("add") && lines[3].trim().endsWith("4"), t);
        assertTrue(lines[6].startsWith("Self CPU time total: "), t);
        assertTrue(prof.keyAverages(true).table(KeyAverages.SortBy.CPU_TIME_TOTAL, -1).contains("Input Shapes"));
        assertThrows(IllegalArgumentException.class, () -> prof.keyAverages().table("cuda_time", 3));
        assertEquals("1.500ms", ProfilerTable.time(1_500_000));
        assertEquals("12.000us", ProfilerTable.time(12_000));
        assertEquals("1.50 Kb", ProfilerTable.bytes(1536));
    }

    @Test
    void chromeTraceParses(@TempDir Path dir) throws Exception {
        Tensor w = g.randn(DType.FLOAT32, 3, 3).requiresGrad(true);
        Profiler prof;
        try (Profiler p = Profiler.start()) {
            prof = p;
            try (var _ = Profiler.record("step \"1\"")) {
                w.tanh().sum().backward();
            }
        }
        Path file = dir.resolve("trace.json");
        prof.exportChromeTrace(file);
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode events = root.get("traceEvents");
        assertTrue(events.isArray());
        List<String> names = new ArrayList<>();
        int complete = 0;
        for (JsonNode e : events) {
            if (!e.get("ph").asText().equals("X")) continue;
            complete++;
            names.add(e.get("name").asText());
            assertTrue(e.get("ts").isNumber() && e.get("dur").isNumber() && e.get("dur").asDouble() >= 0, e.toString());
            assertTrue(e.get("pid").isIntegralNumber() && e.get("tid").isIntegralNumber(), e.toString());
            assertTrue(e.get("args").has("Self Bytes"), e.toString());
        }
        assertEquals(prof.events().size(), complete);
        assertTrue(names.containsAll(List.of("step \"1\"", "tanh", "sum", "TanhBackward0", "SumBackward0")), names.toString());
        JsonNode tanh = null;
        for (JsonNode e : events) if (e.get("name").asText().equals("tanh")) tanh = e;
        assertEquals("[[3, 3]]", tanh.get("args").get("Input Shapes").asText());
        assertEquals("cpu_op", tanh.get("cat").asText());
        // Written like any new file (the umask's permissions), not as a private temporary file.
        if (Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)) {
            assertEquals(Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain"))), Files.getPosixFilePermissions(file));
        }
    }

    @Test
    void opsDoNotNeedToBeKnownToTheProfiler() {
        Op custom = new Custom(new Custom.Impl() {
            @Override public String name() { return "my_op"; }

            @Override public java.util.Map<String, Object> attributes() { return java.util.Map.of(); }

            @Override public Tensor[] forward(Tensor... in) { return new Tensor[] {in[0].clone()}; }

            @Override public Tensor[] backward(org.sinter.SavedContext ctx, Tensor... g) { return g; }
        });
        Profiler prof;
        try (Profiler p = Profiler.start()) {
            prof = p;
            Dispatch.apply1(custom, Tensor.ones(5));
        }
        assertEquals(1, prof.keyAverages().get("my_op").calls());
        assertEquals(20, prof.keyAverages().get("my_op").selfBytes());
    }
}
