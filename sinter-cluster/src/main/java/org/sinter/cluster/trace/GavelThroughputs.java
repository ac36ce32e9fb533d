package org.sinter.cluster.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gavel's measured throughputs ({@code simulation_throughputs.json}): steps per second of each job
 * type at each scale factor (GPU count) on each GPU type, running alone (the {@code "null"} entry;
 * the co-located pairs beside it, see {@link #colocatedStepsPerSecond}). This is what turns a trace's step count into
 * a duration, as Gavel's own simulator does; and, for space sharing, each job's steps/s when it
 * shares its GPUs with another job of the same scale (the pair entries: {@code [this job, the other]}).
 */
public final class GavelThroughputs {
    private static final Pattern KEY = Pattern.compile("\\('(.*)', (\\d+)\\)");

    /** GPU type to job type to scale factor to steps/s. */
    private final Map<String, Map<String, TreeMap<Integer, Double>>> table;
    /** GPU type to "(job type, scale)" key to the other job's key to this job's steps/s beside it. */
    private final Map<String, Map<String, Map<String, Double>>> pairs;
    private final Path file;

    private GavelThroughputs(Path file, Map<String, Map<String, TreeMap<Integer, Double>>> table, Map<String, Map<String, Map<String, Double>>> pairs) {
        this.file = file;
        this.table = table;
        this.pairs = pairs;
    }

    private static String key(String jobType, int scale) {
        return "('" + jobType + "', " + scale + ")";
    }

    public static GavelThroughputs read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new TraceFormatException(file, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new TraceFormatException(file, "expected a JSON object keyed by GPU type");
        Map<String, Map<String, TreeMap<Integer, Double>>> table = new HashMap<>();
        Map<String, Map<String, Map<String, Double>>> pairs = new HashMap<>();
        for (Map.Entry<String, JsonNode> gpu : root.properties()) {
            Map<String, TreeMap<Integer, Double>> jobs = new HashMap<>();
            Map<String, Map<String, Double>> together = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : gpu.getValue().properties()) {
                Matcher m = KEY.matcher(e.getKey());
                JsonNode alone = e.getValue().get("null");
                if (!m.matches() || alone == null || !alone.isNumber()) {
                    throw new TraceFormatException(file, gpu.getKey() + ": entry '" + e.getKey() + "' is not \"('job type', scale)\" with a numeric \"null\" throughput");
                }
                jobs.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), alone.asDouble());
                Map<String, Double> beside = new HashMap<>();
                for (Map.Entry<String, JsonNode> other : e.getValue().properties()) {
                    if (other.getKey().equals("null")) continue;
                    JsonNode pair = other.getValue();
                    if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isNumber()) {
                        throw new TraceFormatException(file, gpu.getKey() + ": entry '" + e.getKey() + "' beside '" + other.getKey() + "' is not a pair of numbers [this job, the other]");
                    }
                    beside.put(other.getKey(), pair.get(0).asDouble());
                }
                together.put(e.getKey(), beside);
            }
            table.put(gpu.getKey(), jobs);
            pairs.put(gpu.getKey(), together);
        }
        return new GavelThroughputs(file, table, pairs);
    }

    /**
     * Steps per second of {@code jobType} on {@code gpus} GPUs of {@code gpuType}. Gavel measured
     * scale factors up to 8 (some job types only 1): a larger job gets the largest measured scale's
     * throughput scaled linearly by GPU count, the optimistic assumption, stated in docs/cluster.md.
     */
    public double stepsPerSecond(String gpuType, String jobType, int gpus) {
        Map<String, TreeMap<Integer, Double>> jobs = table.get(gpuType);
        if (jobs == null) throw new IllegalArgumentException(file + ": no throughputs for GPU type '" + gpuType + "' (has " + table.keySet() + ")");
        TreeMap<Integer, Double> byScale = jobs.get(jobType);
        if (byScale == null) throw new IllegalArgumentException(file + ": no throughput for job type '" + jobType + "' on " + gpuType);
        Map.Entry<Integer, Double> measured = byScale.floorEntry(gpus);
        if (measured == null) measured = byScale.firstEntry();
        return measured.getValue() * gpus / measured.getKey();
    }

    /**
     * Steps per second of {@code jobType} on {@code gpus} GPUs of {@code gpuType} while a job of
     * {@code otherType} with the same GPU count shares them (Gavel's space sharing), or 0 where Gavel
     * measured no such pair (no extrapolation: such jobs are not packed).
     */
    public double colocatedStepsPerSecond(String gpuType, String jobType, String otherType, int gpus) {
        Map<String, Map<String, Double>> together = pairs.get(gpuType);
        if (together == null) throw new IllegalArgumentException(file + ": no throughputs for GPU type '" + gpuType + "' (has " + table.keySet() + ")");
        Map<String, Double> beside = together.get(key(jobType, gpus));
        if (beside == null) return 0;
        Double rate = beside.get(key(otherType, gpus));
        return rate == null ? 0 : Math.max(0, rate);
    }
}
