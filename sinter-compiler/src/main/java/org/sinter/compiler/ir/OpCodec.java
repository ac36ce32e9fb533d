package org.sinter.compiler.ir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.ops.Ints;
import org.sinter.ops.Op;

/**
 * Ops to and from text: {@code Binary{fn: ADD}}, {@code Permute{dims: [1, 0]}}. The set of op kinds
 * is the engine's sealed {@link Op} hierarchy, read by reflection, so a new primitive is printable
 * and parseable with no change here; an op's attributes are its record components (ints, longs,
 * doubles, booleans, strings, enums and {@link Ints}). {@code Custom} ops (user Java code) print but
 * do not parse. The compiler's control-flow ops ({@link ControlFlowOps}) join the set; their
 * {@link Graph}-typed components are regions, which {@link GraphText} writes as nested blocks, so
 * they are left out of the braces here and handed to {@link #parse(String, Map)} by name.
 */
public final class OpCodec {
    private static final Map<String, Class<?>> KINDS = kinds();

    private OpCodec() {}

    /** The op kind's name in text: the record's simple name (unique across the sealed set). */
    public static String kind(Op op) {
        return op.getClass().getSimpleName();
    }

    /** {@code Kind} or {@code Kind{a: 1, b: [2, 3], geometry: {stride: [1, 1], ...}}}. */
    public static String print(Op op) {
        if (op instanceof org.sinter.ops.Custom c) {
            // User Java code: its name and declared attributes, for reading (it does not parse back).
            StringBuilder sb = new StringBuilder("Custom:").append(c.name());
            if (!c.attributes().isEmpty()) {
                sb.append('{');
                new java.util.TreeMap<>(c.attributes()).forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '{' ? "" : ", ")
                        .append(k).append(": ").append(printValue(v)));
                sb.append('}');
            }
            return sb.toString();
        }
        RecordComponent[] rc = op.getClass().getRecordComponents();
        boolean attributes = rc != null && java.util.Arrays.stream(rc).anyMatch(c -> c.getType() != Graph.class);
        return attributes ? kind(op) + printRecord((Record) op) : kind(op);
    }

    /** The op's regions (its {@link Graph}-typed components) by name, in declaration order; empty for most ops. */
    public static Map<String, Graph> regions(Op op) {
        Map<String, Graph> out = new LinkedHashMap<>();
        RecordComponent[] rc = op.getClass().getRecordComponents();
        if (rc != null) for (RecordComponent c : rc) if (c.getType() == Graph.class) out.put(c.getName(), (Graph) Records.read((Record) op, c));
        return out;
    }

    /** A record's components as {@code {name: value, ...}} (nested records alike). */
    private static String printRecord(Record r) {
        RecordComponent[] rc = r.getClass().getRecordComponents();
        StringBuilder sb = new StringBuilder("{");
        for (RecordComponent c : rc) {
            if (c.getType() == Graph.class) continue; // a region: printed as a block after the node
            if (sb.length() > 1) sb.append(", ");
            sb.append(c.getName()).append(": ").append(printValue(Records.read(r, c)));
        }
        return sb.append('}').toString();
    }

    /** Parses {@link #print}'s form; the error names the text and what was wrong with it. */
    public static Op parse(String text) {
        return parse(text, Map.of());
    }

    /** Parses an op whose regions (by component name) were parsed apart; an op without regions takes none. */
    public static Op parse(String text, Map<String, Graph> regions) {
        text = text.strip();
        int brace = text.indexOf('{');
        String kind = brace < 0 ? text : text.substring(0, brace).strip();
        Class<?> cls = KINDS.get(kind);
        if (cls == null) throw new IllegalArgumentException("unknown op kind '" + kind + "' in '" + text + "'");
        Map<String, Graph> unused = new LinkedHashMap<>(regions);
        Op op = (Op) buildRecord(cls, brace < 0 ? "" : text.substring(brace), text, unused);
        if (!unused.isEmpty()) throw new IllegalArgumentException("op '" + text + "' has no regions named " + unused.keySet());
        return op;
    }

    /** Builds a record of class {@code cls} from {@code {name: value, ...}} (empty text: no components), taking its regions from {@code regions}. */
    private static Object buildRecord(Class<?> cls, String body, String context, Map<String, Graph> regions) {
        Map<String, String> attrs = new LinkedHashMap<>();
        if (!body.isEmpty()) {
            if (!body.startsWith("{") || !body.endsWith("}")) throw new IllegalArgumentException("op '" + context + "': attributes must be in '{...}'");
            for (String part : splitTopLevel(body.substring(1, body.length() - 1))) {
                int colon = part.indexOf(':');
                if (colon < 0) throw new IllegalArgumentException("op '" + context + "': attribute '" + part.strip() + "' has no ':'");
                attrs.put(part.substring(0, colon).strip(), part.substring(colon + 1).strip());
            }
        }
        RecordComponent[] rc = cls.getRecordComponents();
        Object[] args = new Object[rc.length];
        for (int i = 0; i < rc.length; i++) {
            if (rc[i].getType() == Graph.class) {
                args[i] = regions.remove(rc[i].getName());
                if (args[i] == null) throw new IllegalArgumentException("op '" + context + "': missing the region '" + rc[i].getName() + "'");
                continue;
            }
            String v = attrs.remove(rc[i].getName());
            if (v == null) throw new IllegalArgumentException("op '" + context + "': missing attribute '" + rc[i].getName() + "'");
            args[i] = parseValue(rc[i].getType(), v, context);
        }
        if (!attrs.isEmpty()) throw new IllegalArgumentException("op '" + context + "': unknown attributes " + attrs.keySet());
        try {
            return Records.construct(cls, args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("op '" + context + "': " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static String printValue(Object v) {
        if (v instanceof Ints ints) return java.util.Arrays.toString(ints.values());
        if (v instanceof Double d) return Double.toString(d);
        if (v instanceof Float f) return Float.toString(f);
        if (v instanceof String s) return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof Number || v instanceof Boolean) return v.toString();
        if (v instanceof Op op) return print(op); // an op inside an op (ViewScatter's view): with its kind
        if (v instanceof Record r) return printRecord(r);
        return "<" + (v == null ? "null" : v.getClass().getSimpleName()) + ">"; // opaque: Custom's Java implementation
    }

    private static Object parseValue(Class<?> type, String v, String context) {
        try {
            if (type == int.class || type == Integer.class) return Integer.parseInt(v);
            if (type == long.class || type == Long.class) return Long.parseLong(v);
            if (type == double.class || type == Double.class) return Double.parseDouble(v);
            if (type == float.class || type == Float.class) return Float.parseFloat(v);
            if (type == boolean.class || type == Boolean.class) {
                if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException("not a boolean");
                return Boolean.parseBoolean(v);
            }
            if (type == String.class) {
                if (v.length() < 2 || !v.startsWith("\"") || !v.endsWith("\"")) throw new IllegalArgumentException("not a quoted string");
                return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            if (type == Ints.class) {
                if (!v.startsWith("[") || !v.endsWith("]")) throw new IllegalArgumentException("not a list [a, b, ...]");
                String body = v.substring(1, v.length() - 1).strip();
                if (body.isEmpty()) return Ints.of();
                String[] parts = body.split(",");
                int[] out = new int[parts.length];
                for (int i = 0; i < parts.length; i++) out[i] = Integer.parseInt(parts[i].strip());
                return Ints.of(out);
            }
            if (type.isRecord()) return buildRecord(type, v, context, Map.of());
            if (Op.class.isAssignableFrom(type)) {
                Op op = parse(v);
                if (!type.isInstance(op)) throw new IllegalArgumentException("not a " + type.getSimpleName());
                return op;
            }
            if (type.isEnum()) {
                for (Object c : type.getEnumConstants()) if (((Enum<?>) c).name().equals(v)) return c;
                throw new IllegalArgumentException("not one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("op '" + context + "': bad " + type.getSimpleName() + " value '" + v + "': " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("op '" + context + "': attributes of type " + type.getSimpleName() + " cannot be parsed");
    }

    /** Splits on commas outside brackets and quotes. */
    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) quoted = !quoted;
            else if (!quoted && (c == '[' || c == '{')) depth++;
            else if (!quoted && (c == ']' || c == '}')) depth--;
            else if (!quoted && depth == 0 && c == ',') {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) parts.add(s.substring(start));
        return parts;
    }

    /** Every concrete op record, by simple name, walking the sealed hierarchy. */
    private static Map<String, Class<?>> kinds() {
        Map<String, Class<?>> out = new TreeMap<>();
        List<Class<?>> todo = new ArrayList<>(List.of(Op.class, ControlFlowOps.ControlFlowOp.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.removeLast();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else if (c.isRecord()) {
                Class<?> clash = out.put(c.getSimpleName(), c);
                if (clash != null && clash != c) {
                    throw new IllegalStateException("op records " + clash.getName() + " and " + c.getName() + " share a simple name");
                }
            }
        }
        return out;
    }

    /** The names of all op kinds (for docs and tests). */
    public static java.util.Set<String> kindNames() {
        return java.util.Collections.unmodifiableSet(KINDS.keySet());
    }
}
