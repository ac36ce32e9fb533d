package org.sinter.compiler.ir;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * The graph's text form, one definition per line, parseable back into an equal graph:
 *
 * <pre>
 * graph(%0: float32[8, 784]) {
 *   param %1: float32[512, 784] "fc1.weight"
 *   %2: float32[784, 512] = Transpose{dim0: 0, dim1: 1}(%1)
 *   %3: float32[8, 512] = Bmm(%0, %2)
 *   return %3
 * }
 * </pre>
 *
 * Values are numbered in the order they are defined, so {@code print(parse(print(g)))} is
 * {@code print(g)}. Parameters parse unbound (no tensor); lines starting with {@code #} are comments.
 */
public final class GraphText {
    private GraphText() {}

    public static String print(Graph g) {
        Map<Value, Integer> ids = new IdentityHashMap<>();
        StringBuilder sb = new StringBuilder("graph(");
        for (int i = 0; i < g.inputs().size(); i++) {
            Value v = g.inputs().get(i);
            sb.append(i == 0 ? "" : ", ").append(name(ids, v)).append(": ").append(spec(v.spec()));
        }
        sb.append(") {\n");
        g.randomInputs().forEach((v, fill) -> sb.append("  random ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" = ")
                .append(org.sinter.ops.Op.describe(fill)).append("\n"));
        g.parameters().forEach((v, p) -> {
            if (p.constant() && v.shape().length > 0) { // a tensor constant: its values are not printed
                sb.append("  const ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" \"").append(p.name()).append("\"\n");
            } else if (p.constant()) {
                sb.append("  const ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" = ")
                        .append(scalarText(p.tensor())).append(p.tensor().isWrappedNumber() ? " wrapped" : "").append(" \"").append(p.name()).append("\"\n");
            } else {
                sb.append("  param ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" \"").append(p.name()).append("\"\n");
            }
        });
        for (Node n : g.nodes()) {
            sb.append("  ");
            for (int i = 0; i < n.outputs().size(); i++) {
                Value v = n.outputs().get(i);
                sb.append(i == 0 ? "" : ", ").append(name(ids, v)).append(": ").append(spec(v.spec()));
            }
            sb.append(" = ").append(OpCodec.print(n.op())).append('(');
            for (int i = 0; i < n.inputs().size(); i++) sb.append(i == 0 ? "" : ", ").append(ref(ids, n.inputs().get(i)));
            sb.append(")\n");
        }
        g.updates().forEach((p, v) -> sb.append("  update \"").append(g.parameter(p).name()).append("\" = ").append(ref(ids, v)).append("\n"));
        sb.append("  return");
        for (int i = 0; i < g.outputs().size(); i++) sb.append(i == 0 ? " " : ", ").append(ref(ids, g.outputs().get(i)));
        return sb.append("\n}\n").toString();
    }

    private static String name(Map<Value, Integer> ids, Value v) {
        ids.put(v, ids.size());
        return "%" + ids.get(v);
    }

    private static String ref(Map<Value, Integer> ids, Value v) {
        Integer id = ids.get(v);
        return id == null ? "%<undefined " + v + ">" : "%" + id;
    }

    static String spec(TensorSpec s) {
        return s.dtype().name().toLowerCase(Locale.ROOT) + Arrays.toString(s.shape());
    }

    /** Parses the text form; errors name the line number and the text. */
    public static Graph parse(String text) {
        Graph g = new Graph();
        Map<String, Value> values = new HashMap<>();
        String[] lines = text.split("\n");
        int ln = 0;
        boolean header = false, done = false;
        for (String raw : lines) {
            ln++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            try {
                if (!header) {
                    if (!line.startsWith("graph(") || !line.endsWith(") {")) throw new IllegalArgumentException("expected 'graph(...) {'");
                    for (String decl : splitArgs(line.substring(6, line.length() - 3))) {
                        String[] nv = splitDecl(decl);
                        define(values, nv[0], g.addInput(parseSpec(nv[1])));
                    }
                    header = true;
                } else if (done) {
                    throw new IllegalArgumentException("text after the closing '}'");
                } else if (line.equals("}")) {
                    done = true;
                } else if (line.startsWith("param ")) {
                    int q = line.indexOf('"');
                    if (q < 0 || !line.endsWith("\"")) throw new IllegalArgumentException("expected 'param %n: spec \"name\"'");
                    String[] nv = splitDecl(line.substring(6, q).strip());
                    define(values, nv[0], g.addParameter(line.substring(q + 1, line.length() - 1), parseSpec(nv[1]), null));
                } else if (line.startsWith("update \"")) {
                    int q = line.indexOf('"', 8), eq = line.indexOf(" = ", q);
                    if (q < 0 || eq < 0) throw new IllegalArgumentException("expected 'update \"name\" = %n'");
                    String name = line.substring(8, q);
                    Value param = g.parameters().entrySet().stream().filter(e -> e.getValue().name().equals(name)).map(Map.Entry::getKey)
                            .findFirst().orElseThrow(() -> new IllegalArgumentException("update of unknown parameter \"" + name + "\""));
                    g.setUpdate(param, use(values, line.substring(eq + 3).strip()));
                } else if (line.startsWith("random ")) {
                    throw new IllegalArgumentException("random inputs (" + line + ") name a generator and cannot be parsed back; trace the function again");
                } else if (line.startsWith("const ")) {
                    parseConstant(g, values, line);
                } else if (line.startsWith("return")) {
                    List<Value> outs = new ArrayList<>();
                    String rest = line.substring(6).strip();
                    if (!rest.isEmpty()) for (String r : rest.split(",")) outs.add(use(values, r.strip()));
                    g.setOutputs(outs);
                } else {
                    parseNode(g, values, line);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("graph text line " + ln + " '" + line + "': " + e.getMessage(), e);
            }
        }
        if (!done) throw new IllegalArgumentException("graph text: missing the closing '}'");
        return g;
    }

    private static void parseNode(Graph g, Map<String, Value> values, String line) {
        int eq = line.indexOf(" = ");
        if (eq < 0) throw new IllegalArgumentException("expected '%n: spec = Op(args)'");
        List<String[]> decls = new ArrayList<>();
        for (String d : splitArgs(line.substring(0, eq))) decls.add(splitDecl(d));
        String call = line.substring(eq + 3).strip();
        int open = call.lastIndexOf('(');
        if (open < 0 || !call.endsWith(")")) throw new IllegalArgumentException("expected 'Op(args)' after '='");
        Op op = OpCodec.parse(call.substring(0, open));
        List<Value> args = new ArrayList<>();
        String argText = call.substring(open + 1, call.length() - 1).strip();
        if (!argText.isEmpty()) for (String a : argText.split(",")) args.add(use(values, a.strip()));
        TensorSpec[] declared = new TensorSpec[decls.size()];
        for (int i = 0; i < declared.length; i++) declared[i] = parseSpec(decls.get(i)[1]);
        Node n = g.add(op, args);
        if (n.outputs().size() != declared.length) {
            throw new IllegalArgumentException(op.name() + " has " + n.outputs().size() + " outputs, the text declares " + declared.length);
        }
        for (int i = 0; i < declared.length; i++) {
            if (!n.outputs().get(i).spec().equals(declared[i])) {
                throw new IllegalArgumentException("output " + i + " is declared " + spec(declared[i]) + " but " + op.name()
                        + " gives " + spec(n.outputs().get(i).spec()));
            }
            define(values, decls.get(i)[0], n.outputs().get(i));
        }
    }

    private static String scalarText(Tensor t) {
        return t.dtype().isFloatingPoint() ? Double.toString(t.item()) : t.dtype() == DType.BOOL ? Boolean.toString(t.item() != 0)
                : Long.toString(t.itemLong());
    }

    /** {@code const %n: dtype[] = value [wrapped] "name"}, or {@code const %n: dtype[shape] "name"} (a tensor, unbound). */
    private static void parseConstant(Graph g, Map<String, Value> values, String line) {
        int q = line.indexOf('"'), eq = line.indexOf(" = ");
        if (q > 0 && (eq < 0 || eq > q) && line.endsWith("\"")) {
            String[] nv = splitDecl(line.substring(6, q).strip());
            define(values, nv[0], g.addConstant(line.substring(q + 1, line.length() - 1), parseSpec(nv[1]), null));
            return;
        }
        if (q < 0 || eq < 0 || eq > q || !line.endsWith("\"")) throw new IllegalArgumentException("expected 'const %n: dtype[] = value [wrapped] \"name\"'");
        String[] nv = splitDecl(line.substring(6, eq).strip());
        TensorSpec spec = parseSpec(nv[1]);
        if (spec.shape().length != 0) throw new IllegalArgumentException("constants are 0-d, got " + nv[1]);
        String[] value = line.substring(eq + 3, q).strip().split("\\s+");
        boolean wrapped = value.length == 2 && value[1].equals("wrapped");
        if (value.length > 2 || (value.length == 2 && !wrapped)) throw new IllegalArgumentException("expected a value, optionally followed by 'wrapped'");
        Tensor t;
        if (wrapped && spec.dtype() == DType.FLOAT64) t = Tensor.wrappedScalar(Double.parseDouble(value[0]));
        else if (wrapped && spec.dtype() == DType.INT64) t = Tensor.wrappedScalar(Long.parseLong(value[0]));
        else if (wrapped) throw new IllegalArgumentException("wrapped constants are float64 or int64, got " + nv[1]);
        else if (spec.dtype() == DType.BOOL) t = Tensor.scalar(Boolean.parseBoolean(value[0]) ? 1 : 0, DType.BOOL);
        else t = Tensor.scalar(spec.dtype().isFloatingPoint() ? Double.parseDouble(value[0]) : Long.parseLong(value[0]), spec.dtype());
        define(values, nv[0], g.addConstant(line.substring(q + 1, line.length() - 1), t));
    }

    private static void define(Map<String, Value> values, String name, Value v) {
        if (!name.startsWith("%")) throw new IllegalArgumentException("value names start with '%': " + name);
        if (values.putIfAbsent(name, v) != null) throw new IllegalArgumentException(name + " is defined twice");
    }

    private static Value use(Map<String, Value> values, String name) {
        Value v = values.get(name);
        if (v == null) throw new IllegalArgumentException(name + " is used before it is defined");
        return v;
    }

    /** "%3: float32[2, 3]" → {"%3", "float32[2, 3]"}. */
    private static String[] splitDecl(String decl) {
        int colon = decl.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("expected '%n: dtype[shape]', got '" + decl + "'");
        return new String[] {decl.substring(0, colon).strip(), decl.substring(colon + 1).strip()};
    }

    static TensorSpec parseSpec(String s) {
        int open = s.indexOf('[');
        if (open < 0 || !s.endsWith("]")) throw new IllegalArgumentException("expected dtype[shape], got '" + s + "'");
        DType dtype;
        try {
            dtype = DType.valueOf(s.substring(0, open).strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown dtype '" + s.substring(0, open) + "', expected one of " + Arrays.toString(DType.values()));
        }
        String body = s.substring(open + 1, s.length() - 1).strip();
        int[] shape = body.isEmpty() ? new int[0] : Arrays.stream(body.split(",")).mapToInt(x -> Integer.parseInt(x.strip())).toArray();
        return new TensorSpec(shape, dtype);
    }

    /** Splits declarations on commas outside brackets. */
    private static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) out.add(s.substring(start).strip());
        return out;
    }
}
