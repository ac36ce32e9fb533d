package org.sinter.nn.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.DType;

/**
 * The JSON header of a safetensors file: building it for a writer, and parsing plus checking it
 * for a reader. Every rule of the format is checked here before a single data byte is read:
 * known dtypes, shapes of non-negative integers, offsets inside the data buffer, byte lengths
 * that match dtype and shape, and data ranges that tile the buffer with no overlap and no hole.
 */
final class SafeTensorsHeader {
    /** The reserved key holding the string-to-string metadata map. */
    static final String METADATA_KEY = "__metadata__";
    /** Headers larger than this are refused, as the reference implementation does (100 MiB). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SafeTensorsHeader() {}

    /** One tensor's header entry; offsets are relative to the start of the data buffer. */
    record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    /** A parsed header: entries in header order, and the metadata (empty when absent). */
    record Parsed(List<Entry> entries, Map<String, String> metadata) {}

    /**
     * The header bytes, padded with spaces so the data buffer starts 8-byte aligned. Metadata keys
     * are written sorted, so the same state gives the same bytes whatever map the caller built
     * ({@code Map.of} iterates in an order that changes from run to run).
     */
    static byte[] build(List<Entry> entries, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        for (Entry e : entries) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", DTypeCodes.code(e.dtype()));
            ArrayNode shape = t.putArray("shape");
            for (int d : e.shape()) shape.add(d);
            t.putArray("data_offsets").add(e.begin()).add(e.end());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a safetensors header", e);
        }
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Parses and validates a header; {@code bufferLength} is the size of the data after it. */
    static Parsed parse(byte[] header, long bufferLength, Path file) throws SafeTensorsException {
        if (header.length == 0 || header[0] != '{') {
            throw new SafeTensorsException(file, "header does not start with '{' (not a safetensors file?)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (name.equals(METADATA_KEY)) {
                readMetadata(value, metadata, file);
            } else {
                entries.add(readEntry(name, value, bufferLength, file));
            }
        }
        checkTiling(entries, bufferLength, file);
        return new Parsed(entries, metadata);
    }

    private static void readMetadata(JsonNode value, Map<String, String> out, Path file) throws SafeTensorsException {
        if (!value.isObject()) {
            throw new SafeTensorsException(file, "\"" + METADATA_KEY + "\" must be an object of strings, got " + value.getNodeType());
        }
        for (Map.Entry<String, JsonNode> m : value.properties()) {
            if (!m.getValue().isTextual()) {
                throw new SafeTensorsException(file, "\"" + METADATA_KEY + "\" field \"" + m.getKey()
                        + "\" must be a string, got " + m.getValue().getNodeType());
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static Entry readEntry(String name, JsonNode node, long bufferLength, Path file) throws SafeTensorsException {
        String where = "tensor \"" + name + "\"";
        if (!node.isObject()) throw new SafeTensorsException(file, where + ": entry must be an object, got " + node.getNodeType());
        JsonNode dt = node.get("dtype");
        if (dt == null || !dt.isTextual()) throw new SafeTensorsException(file, where + ": field \"dtype\" is missing or not a string");
        DType dtype = DTypeCodes.parse(dt.textValue());
        if (dtype == null) throw new SafeTensorsException(file, where + ": " + DTypeCodes.describeUnsupported(dt.textValue()));

        JsonNode sh = node.get("shape");
        if (sh == null || !sh.isArray()) throw new SafeTensorsException(file, where + ": field \"shape\" is missing or not an array");
        int[] shape = new int[sh.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = sh.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new SafeTensorsException(file, where + ": \"shape\" entry " + i + " is " + d + ", expected a non-negative integer");
            }
            if (d.longValue() > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, where + ": dimension " + i + " (" + d.longValue() + ") is too large for a Sinter tensor");
            }
            shape[i] = (int) d.longValue();
        }
        long numel = numel(shape);
        if (numel > Integer.MAX_VALUE) {
            throw new SafeTensorsException(file, where + ": shape " + sh + " has more elements than a Sinter tensor can hold");
        }

        JsonNode off = node.get("data_offsets");
        if (off == null || !off.isArray() || off.size() != 2) {
            throw new SafeTensorsException(file, where + ": field \"data_offsets\" must be an array [begin, end]");
        }
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = off.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new SafeTensorsException(file, where + ": \"data_offsets\" " + off + " must hold non-negative integers");
            }
            be[i] = o.longValue();
        }
        if (be[1] < be[0]) throw new SafeTensorsException(file, where + ": \"data_offsets\" " + off + " ends before it begins");
        if (be[1] > bufferLength) {
            throw new SafeTensorsException(file, where + ": \"data_offsets\" " + off + " is out of range: the data buffer holds "
                    + bufferLength + " bytes");
        }
        long want = TensorBytes.byteLength(dtype, numel);
        if (be[1] - be[0] != want) {
            throw new SafeTensorsException(file, where + ": dtype " + dt.textValue() + " and shape " + sh + " need " + want
                    + " bytes but \"data_offsets\" " + off + " span " + (be[1] - be[0]));
        }
        return new Entry(name, dtype, shape, be[0], be[1]);
    }

    /**
     * The element count, or {@code Long.MAX_VALUE} once it passes the int range. A zero anywhere
     * makes it 0 however large the other dimensions ([100000, 100000, 0] is empty, not too large);
     * the partial products stay below 2^62, so the check after each step cannot itself overflow.
     */
    static long numel(int[] shape) {
        for (int d : shape) if (d == 0) return 0;
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) return Long.MAX_VALUE;
        }
        return n;
    }

    /** The data ranges, sorted, must cover [0, bufferLength) exactly once. */
    private static void checkTiling(List<Entry> entries, long bufferLength, Path file) throws SafeTensorsException {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin() < at) {
                throw new SafeTensorsException(file, "tensor \"" + e.name() + "\" data [" + e.begin() + ", " + e.end()
                        + ") overlaps tensor \"" + prev.name() + "\" data [" + prev.begin() + ", " + prev.end() + ")");
            }
            if (e.begin() > at) {
                throw new SafeTensorsException(file, "bytes [" + at + ", " + e.begin() + ") of the data buffer belong to no tensor"
                        + " (hole before tensor \"" + e.name() + "\")");
            }
            at = e.end();
            prev = e;
        }
        if (at != bufferLength) {
            throw new SafeTensorsException(file, "bytes [" + at + ", " + bufferLength + ") at the end of the data buffer belong to no tensor");
        }
    }
}
