package org.sinter.serve.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.sinter.serve.DataType;

/**
 * A model's {@code config.json} in the repository: its platform, inputs and outputs, batching,
 * instances and version policy. The keys follow Triton's model configuration (snake_case) so a
 * Triton user reads it at once; every error names the file and the key.
 *
 * @param platform {@code sinter} (eager), {@code sinter-compiled} (through the graph compiler) or {@code onnx}
 * @param model the model's architecture, resolved by the server's {@code ModelFactory} (the CLI's zoo: lab1cnn, mlp…)
 * @param maxBatchSize 0: no batch dimension; otherwise inputs carry a leading batch dimension of at most this
 * @param dynamicBatching null: each request runs alone (Triton's default scheduler)
 * @param instanceCount copies of the model that run batches concurrently
 * @param imageClassifier null: {@code /predictions} is not offered for this model
 */
public record ModelConfig(String name, String platform, String model, int maxBatchSize, List<TensorConfig> inputs,
                          List<TensorConfig> outputs, DynamicBatching dynamicBatching, int instanceCount,
                          VersionPolicy versionPolicy, ImageClassifier imageClassifier) {
    public static final String FILE = "config.json";
    public static final List<String> PLATFORMS = List.of("sinter", "sinter-compiled", "onnx");
    private static final Set<String> KEYS = Set.of("name", "platform", "model", "max_batch_size", "input", "output",
            "dynamic_batching", "instance_count", "version_policy", "image_classifier");
    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public boolean batching() {
        return maxBatchSize > 0;
    }

    public TensorConfig input(String name) {
        for (TensorConfig t : inputs) if (t.name().equals(name)) return t;
        return null;
    }

    public TensorConfig output(String name) {
        for (TensorConfig t : outputs) if (t.name().equals(name)) return t;
        return null;
    }

    /** Reads {@code dir/config.json}; the model's name is its directory's name. */
    public static ModelConfig read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no " + FILE + " in " + dir);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return parse(dir.getFileName().toString(), root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a config object for the model named {@code dirName}. */
    public static ModelConfig parse(String dirName, JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the config must be a JSON object");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw new IllegalArgumentException("unknown key '" + k + "'; known: " + KEYS.stream().sorted().toList());
        }
        String name = text(root, "name", dirName);
        if (!name.equals(dirName)) throw new IllegalArgumentException("name '" + name + "' differs from the directory name '" + dirName + "'");
        String platform = text(root, "platform", null);
        if (platform == null) throw new IllegalArgumentException("platform is missing; one of " + PLATFORMS);
        if (!PLATFORMS.contains(platform)) throw new IllegalArgumentException("platform '" + platform + "' is not one of " + PLATFORMS);
        String model = text(root, "model", null);
        if (model == null && !platform.equals("onnx")) throw new IllegalArgumentException("model is missing: the architecture, e.g. \"lab1cnn\"");
        int maxBatch = integer(root, "max_batch_size", 0);
        if (maxBatch < 0) throw new IllegalArgumentException("max_batch_size must be >= 0, got " + maxBatch);
        List<TensorConfig> inputs = tensors(root, "input");
        List<TensorConfig> outputs = tensors(root, "output");
        DynamicBatching batching = null;
        JsonNode db = root.get("dynamic_batching");
        if (db != null && !db.isNull()) {
            if (!db.isObject()) throw new IllegalArgumentException("dynamic_batching must be an object");
            if (maxBatch == 0) throw new IllegalArgumentException("dynamic_batching needs max_batch_size > 0");
            List<Integer> preferred = new ArrayList<>();
            JsonNode p = db.get("preferred_batch_size");
            if (p != null) {
                if (!p.isArray()) throw new IllegalArgumentException("dynamic_batching.preferred_batch_size must be an array");
                for (JsonNode n : p) {
                    if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > maxBatch) {
                        throw new IllegalArgumentException("dynamic_batching.preferred_batch_size values must be integers in [1, " + maxBatch + "], got " + n);
                    }
                    preferred.add(n.asInt());
                }
            }
            int levels = integer(db, "priority_levels", 0, "dynamic_batching.");
            JsonNode pad = db.get("pad_variable_length_inputs");
            if (pad != null && !pad.isBoolean()) throw new IllegalArgumentException("dynamic_batching.pad_variable_length_inputs must be true or false, got " + pad);
            boolean padding = pad != null && pad.asBoolean();
            JsonNode padValue = db.get("pad_value");
            if (padValue != null && !padValue.isNumber()) throw new IllegalArgumentException("dynamic_batching.pad_value must be a number, got " + padValue);
            if (padValue != null && !padding) throw new IllegalArgumentException("dynamic_batching.pad_value needs pad_variable_length_inputs: true");
            if (padding) {
                // A padded request's outputs are its rows of the batch's: an output whose size followed the padded
                // length would depend on which requests shared the batch.
                for (TensorConfig o : outputs) {
                    if (java.util.Arrays.stream(o.shape()).anyMatch(d -> d == -1)) {
                        throw new IllegalArgumentException("dynamic_batching.pad_variable_length_inputs needs outputs of fixed shape; output " + o
                                + " has a variable dimension");
                    }
                }
            }
            batching = new DynamicBatching(integer(db, "max_queue_delay_microseconds", 0, "dynamic_batching."), preferred,
                    integer(db, "max_queue_size", 0, "dynamic_batching."), integer(db, "default_timeout_microseconds", 0, "dynamic_batching."),
                    levels, integer(db, "default_priority_level", Math.max(1, levels), "dynamic_batching."), padding,
                    padValue == null ? 0 : padValue.asDouble());
        }
        int instances = integer(root, "instance_count", 1);
        if (instances < 1 || instances > 64) throw new IllegalArgumentException("instance_count must be in [1, 64], got " + instances);
        VersionPolicy policy = versionPolicy(root.get("version_policy"));
        ImageClassifier image = imageClassifier(root.get("image_classifier"));
        if (image != null) {
            if (inputs.size() != 1) throw new IllegalArgumentException("image_classifier needs exactly one input");
            int[] s = inputs.get(0).shape();
            if (s.length != 3 || s[0] != image.channels() || s[1] < 1 || s[2] < 1) {
                throw new IllegalArgumentException("image_classifier needs an input shape [" + image.channels() + ", height, width], got "
                        + inputs.get(0));
            }
        }
        if (platform.startsWith("sinter") && (inputs.size() != 1 || outputs.size() != 1)) {
            throw new IllegalArgumentException("platform " + platform + " runs a module's forward: exactly one input and one output, got "
                    + inputs.size() + " and " + outputs.size());
        }
        return new ModelConfig(name, platform, model, maxBatch, inputs, outputs, batching, instances, policy, image);
    }

    private static List<TensorConfig> tensors(JsonNode root, String key) {
        JsonNode a = root.get(key);
        if (a == null || !a.isArray() || a.isEmpty()) throw new IllegalArgumentException(key + " must be a non-empty array of {name, datatype, shape}");
        List<TensorConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < a.size(); i++) {
            String field = key + "[" + i + "]";
            JsonNode t = a.get(i);
            if (!t.isObject()) throw new IllegalArgumentException(field + " must be an object");
            String name = text(t, "name", null, field + ".");
            if (name == null || name.isEmpty()) throw new IllegalArgumentException(field + ".name is missing");
            if (!names.add(name)) throw new IllegalArgumentException(field + ".name '" + name + "' appears twice");
            DataType dt = DataType.parse(text(t, "datatype", null, field + "."), field + ".datatype");
            JsonNode s = t.get("shape");
            if (s == null || !s.isArray()) throw new IllegalArgumentException(field + ".shape must be an array of dimensions");
            int[] shape = new int[s.size()];
            for (int d = 0; d < shape.length; d++) {
                JsonNode n = s.get(d);
                if (!n.isIntegralNumber() || !n.canConvertToInt() || (n.asInt() < 1 && n.asInt() != -1)) {
                    throw new IllegalArgumentException(field + ".shape[" + d + "] must be a positive integer or -1, got " + n);
                }
                shape[d] = n.asInt();
            }
            out.add(new TensorConfig(name, dt, shape));
        }
        return out;
    }

    private static VersionPolicy versionPolicy(JsonNode p) {
        if (p == null || p.isNull()) return new VersionPolicy.Latest(1);
        if (!p.isObject() || p.size() != 1) {
            throw new IllegalArgumentException("version_policy must be one of {\"latest\": {\"num_versions\": N}}, {\"specific\": {\"versions\": [..]}}, {\"all\": {}}");
        }
        if (p.has("latest")) return new VersionPolicy.Latest(integer(p.get("latest"), "num_versions", 1, "version_policy.latest."));
        if (p.has("all")) return new VersionPolicy.All();
        if (p.has("specific")) {
            JsonNode v = p.get("specific").get("versions");
            if (v == null || !v.isArray()) throw new IllegalArgumentException("version_policy.specific.versions must be an array");
            List<Long> versions = new ArrayList<>();
            for (JsonNode n : v) {
                if (!n.isIntegralNumber() || n.asLong() < 1) throw new IllegalArgumentException("version_policy.specific.versions must be positive integers, got " + n);
                versions.add(n.asLong());
            }
            return new VersionPolicy.Specific(versions);
        }
        throw new IllegalArgumentException("version_policy: unknown policy " + p.fieldNames().next() + "; one of latest, specific, all");
    }

    private static ImageClassifier imageClassifier(JsonNode c) {
        if (c == null || c.isNull()) return null;
        if (!c.isObject()) throw new IllegalArgumentException("image_classifier must be an object");
        int channels = integer(c, "channels", 1, "image_classifier.");
        List<String> labels = new ArrayList<>();
        JsonNode l = c.get("labels");
        if (l != null) for (JsonNode n : l) labels.add(n.asText());
        return new ImageClassifier(channels, doubles(c, "mean", channels, 0.0), doubles(c, "std", channels, 1.0),
                c.path("invert_light_background").asBoolean(false), text(c, "output", "logits", "image_classifier."),
                labels, integer(c, "top_k", 5, "image_classifier."));
    }

    private static double[] doubles(JsonNode c, String key, int n, double dflt) {
        JsonNode a = c.get(key);
        double[] out = new double[n];
        if (a == null) {
            java.util.Arrays.fill(out, dflt);
            return out;
        }
        if (!a.isArray()) throw new IllegalArgumentException("image_classifier." + key + " must be an array of numbers");
        out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).isNumber()) throw new IllegalArgumentException("image_classifier." + key + "[" + i + "] must be a number");
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    private static String text(JsonNode n, String key, String dflt) {
        return text(n, key, dflt, "");
    }

    private static String text(JsonNode n, String key, String dflt, String prefix) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw new IllegalArgumentException(prefix + key + " must be a string, got " + v);
        return v.asText();
    }

    private static int integer(JsonNode n, String key, int dflt) {
        return integer(n, key, dflt, "");
    }

    private static int integer(JsonNode n, String key, int dflt, String prefix) {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new IllegalArgumentException(prefix + key + " must be an integer, got " + v);
        return v.asInt();
    }
}
