package org.sinter.autotune.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tuning log: one JSON object per line, per trial, appended and forced to disk as each trial
 * ends, so a killed tuning loses at most the trial in flight and resumes from the log. A torn last
 * line (a crash mid-write) is skipped on reading; any other malformed line is an error naming the
 * file and line.
 */
public final class TuningLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The versions written into every record. */
    public static final Map<String, String> VERSIONS = Map.of("sinter", "0.1.0-SNAPSHOT", "java", String.valueOf(Runtime.version().feature()),
            "log_format", "1");

    private final Path file;

    public TuningLog(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    public synchronized void append(TuningRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("workload", r.workload());
        o.put("template", r.template());
        ObjectNode cfg = o.putObject("config");
        new java.util.TreeMap<>(r.config()).forEach(cfg::put);
        var costs = o.putArray("costs");
        r.costs().forEach(costs::add);
        if (r.error() == null) o.putNull("error");
        else o.put("error", r.error());
        o.put("build_s", r.buildSeconds());
        o.put("gflops", r.gflops());
        o.put("time", r.timestamp());
        o.put("explorer", r.explorer());
        ObjectNode v = o.putObject("versions");
        new java.util.TreeMap<>(r.versions()).forEach(v::put);
        byte[] line = (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                var buf = java.nio.ByteBuffer.wrap(line);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(false);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("tuning log " + file + ": cannot append: " + e.getMessage(), e);
        }
    }

    /** Every record of the log (none if it does not exist yet). */
    public List<TuningRecord> read() {
        return read(file);
    }

    public static List<TuningRecord> read(Path file) {
        List<TuningRecord> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("tuning log " + file + ": cannot read: " + e.getMessage(), e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                out.add(parse(JSON.readTree(line)));
            } catch (IOException | RuntimeException e) {
                if (i == lines.size() - 1) break; // a torn last line: the trial in flight when the tuner died
                throw new IllegalArgumentException("tuning log " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static TuningRecord parse(JsonNode o) {
        Map<String, Integer> cfg = new LinkedHashMap<>();
        require(o, "config").properties().forEach(e -> cfg.put(e.getKey(), e.getValue().asInt()));
        List<Double> costs = new ArrayList<>();
        require(o, "costs").forEach(c -> costs.add(c.asDouble()));
        Map<String, String> versions = new LinkedHashMap<>();
        if (o.has("versions")) o.get("versions").properties().forEach(e -> versions.put(e.getKey(), e.getValue().asText()));
        JsonNode err = o.get("error");
        return new TuningRecord(require(o, "workload").asText(), require(o, "template").asText(), cfg, costs,
                err == null || err.isNull() ? null : err.asText(), o.path("build_s").asDouble(), o.path("gflops").asDouble(),
                o.path("time").asDouble(), o.path("explorer").asText(""), versions);
    }

    private static JsonNode require(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null) throw new IllegalArgumentException("missing field \"" + field + "\"");
        return v;
    }

    /** The fastest successful trial of each workload (AutoTVM's pick_best; built-in baselines are not trials). */
    public static Map<String, TuningRecord> best(List<TuningRecord> records) {
        Map<String, TuningRecord> best = new LinkedHashMap<>();
        for (TuningRecord r : records) {
            if (!r.ok() || !r.trial()) continue;
            best.merge(r.workload(), r, (a, b) -> median(b) < median(a) ? b : a);
        }
        return best;
    }

    /**
     * The built-in kernel's latest successful baseline of each workload that has one (the latest, not
     * the fastest: an older one timed an older built-in kernel).
     */
    public static Map<String, TuningRecord> builtin(List<TuningRecord> records) {
        Map<String, TuningRecord> latest = new LinkedHashMap<>();
        for (TuningRecord r : records) if (r.ok() && r.builtin() && !r.sideBySide()) latest.put(r.workload(), r);
        return latest;
    }

    /** A tuned kernel and the built-in timed in turn ({@link org.sinter.autotune.measure.SideBySide}): one protocol for both. */
    public record SideBySide(TuningRecord tuned, TuningRecord builtin) {
        /** Whether the tuned kernel's median is under the built-in's. */
        public boolean tunedFaster() {
            return median(tuned) < median(builtin);
        }
    }

    /**
     * The latest side-by-side timing of each workload: a successful {@link TuningRecord#SIDE_BY_SIDE}
     * record of a template followed by one of the built-in (the order they are appended in).
     */
    public static Map<String, SideBySide> sideBySide(List<TuningRecord> records) {
        Map<String, SideBySide> latest = new LinkedHashMap<>();
        Map<String, TuningRecord> tuned = new LinkedHashMap<>();
        for (TuningRecord r : records) {
            if (!r.ok() || !r.sideBySide()) continue;
            if (!r.builtin()) tuned.put(r.workload(), r);
            else if (tuned.containsKey(r.workload())) latest.put(r.workload(), new SideBySide(tuned.remove(r.workload()), r));
        }
        return latest;
    }

    public Optional<TuningRecord> best(String workload) {
        return read().stream().filter(r -> r.ok() && r.trial() && r.workload().equals(workload)).min(Comparator.comparingDouble(TuningLog::median));
    }

    /** Writes only the best record of each workload (and its built-in baseline and latest side-by-side timing) to {@code target}, atomically (the log `pick best` distils). */
    public void pickBest(Path target) {
        Path tmp;
        try {
            TuningLog out = new TuningLog(target.resolveSibling(target.getFileName() + ".tmp"));
            Files.deleteIfExists(out.file());
            List<TuningRecord> all = read();
            for (TuningRecord r : best(all).values()) out.append(r);
            for (TuningRecord r : builtin(all).values()) out.append(r);
            for (SideBySide p : sideBySide(all).values()) {
                out.append(p.tuned());
                out.append(p.builtin());
            }
            tmp = out.file();
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("tuning log: cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static double median(TuningRecord r) {
        if (!r.ok()) return Double.POSITIVE_INFINITY;
        double[] c = r.costs().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
