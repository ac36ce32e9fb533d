package org.sinter.automl.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NNI's JSON search-space format: {@code {"lr": {"_type": "loguniform", "_value": [1e-4, 0.1]}}}.
 * Every error names the parameter, by its path for nested choices ({@code layer0/conv/kernel}).
 */
public final class SearchSpaceJson {
    private SearchSpaceJson() {}

    public static final ObjectMapper MAPPER = new ObjectMapper();

    public static SearchSpace read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    public static SearchSpace parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("search space is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return parse(root, "");
    }

    public static SearchSpace parse(JsonNode root, String prefix) {
        if (root == null || !root.isObject())
            throw new IllegalArgumentException("search space" + (prefix.isEmpty() ? "" : " of '" + prefix + "'") + " must be a JSON object of parameters");
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(NestedOption.NAME_KEY)) continue;
            String path = prefix.isEmpty() ? field.getKey() : prefix + "/" + field.getKey();
            parameters.put(field.getKey(), parameter(path, field.getValue()));
        }
        if (parameters.isEmpty() && prefix.isEmpty()) throw new IllegalArgumentException("search space has no parameters");
        return new SearchSpace(parameters);
    }

    private static Parameter parameter(String path, JsonNode node) {
        if (!node.isObject() || !node.has("_type") || !node.has("_value"))
            throw error(path, "must be an object with \"_type\" and \"_value\"");
        String type = node.get("_type").asText();
        JsonNode value = node.get("_value");
        if (!value.isArray()) throw error(path, "\"_value\" must be a JSON array");
        try {
            return switch (type) {
                case "choice" -> choice(path, value);
                case "randint" -> {
                    double[] v = numbers(path, type, value, 2);
                    if (v[0] != Math.rint(v[0]) || v[1] != Math.rint(v[1])) throw error(path, "randint bounds must be integers");
                    yield new Parameter.RandInt(Math.toIntExact((long) v[0]), Math.toIntExact((long) v[1]));
                }
                case "uniform" -> { double[] v = numbers(path, type, value, 2); yield new Parameter.Uniform(v[0], v[1]); }
                case "quniform" -> { double[] v = numbers(path, type, value, 3); yield new Parameter.QUniform(v[0], v[1], v[2]); }
                case "loguniform" -> { double[] v = numbers(path, type, value, 2); yield new Parameter.LogUniform(v[0], v[1]); }
                case "qloguniform" -> { double[] v = numbers(path, type, value, 3); yield new Parameter.QLogUniform(v[0], v[1], v[2]); }
                case "normal" -> { double[] v = numbers(path, type, value, 2); yield new Parameter.Normal(v[0], v[1]); }
                case "qnormal" -> { double[] v = numbers(path, type, value, 3); yield new Parameter.QNormal(v[0], v[1], v[2]); }
                case "lognormal" -> { double[] v = numbers(path, type, value, 2); yield new Parameter.LogNormal(v[0], v[1]); }
                default -> throw error(path, "unknown _type \"" + type + "\" (expected choice, randint, uniform, quniform, "
                        + "loguniform, qloguniform, normal, qnormal or lognormal)");
            };
        } catch (ArithmeticException e) {
            throw error(path, "randint bounds must fit in a 32-bit int");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("parameter '")) throw e;
            throw error(path, e.getMessage());
        }
    }

    private static Parameter choice(String path, JsonNode value) {
        List<Object> options = new ArrayList<>();
        for (JsonNode option : value) {
            if (option.isObject() && option.has(NestedOption.NAME_KEY)) {
                String name = option.get(NestedOption.NAME_KEY).asText();
                options.add(new NestedOption(name, parse(option, path + "/" + name)));
            } else {
                options.add(MAPPER.convertValue(option, Object.class));
            }
        }
        if (options.isEmpty()) throw error(path, "choice needs at least one option");
        return new Parameter.Choice(options);
    }

    private static double[] numbers(String path, String type, JsonNode value, int count) {
        if (value.size() != count) throw error(path, type + " takes " + count + " numbers in \"_value\", got " + value.size());
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            if (!value.get(i).isNumber()) throw error(path, type + "'s \"_value\"[" + i + "] is not a number: " + value.get(i));
            out[i] = value.get(i).asDouble();
        }
        return out;
    }

    private static IllegalArgumentException error(String path, String message) {
        return new IllegalArgumentException("parameter '" + path + "': " + message);
    }

    /** The search space back in NNI's JSON form (the journal stores it to refuse resuming with another space). */
    public static ObjectNode toJson(SearchSpace space) {
        ObjectNode root = MAPPER.createObjectNode();
        space.parameters().forEach((name, p) -> {
            ObjectNode node = root.putObject(name);
            node.put("_type", p.type());
            ArrayNode v = node.putArray("_value");
            switch (p) {
                case Parameter.Choice c -> c.options().forEach(o -> {
                    if (o instanceof NestedOption n) {
                        ObjectNode sub = toJson(n.space());
                        ObjectNode withName = MAPPER.createObjectNode().put(NestedOption.NAME_KEY, n.name());
                        withName.setAll(sub);
                        v.add(withName);
                    } else v.add(MAPPER.valueToTree(o));
                });
                case Parameter.RandInt r -> v.add(r.lower()).add(r.upper());
                case Parameter.Uniform u -> v.add(u.low()).add(u.high());
                case Parameter.QUniform u -> v.add(u.low()).add(u.high()).add(u.q());
                case Parameter.LogUniform u -> v.add(u.low()).add(u.high());
                case Parameter.QLogUniform u -> v.add(u.low()).add(u.high()).add(u.q());
                case Parameter.Normal n -> v.add(n.mu()).add(n.sigma());
                case Parameter.QNormal n -> v.add(n.mu()).add(n.sigma()).add(n.q());
                case Parameter.LogNormal n -> v.add(n.mu()).add(n.sigma());
            }
        });
        return root;
    }

    /** A Java value as it reads back from JSON (a Long 3 becomes Integer 3), so journal round trips compare equal. */
    static Object canonical(Object value) {
        return MAPPER.convertValue(value, Object.class);
    }
}
