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
 * A control-flow node's regions follow its line as nested blocks, each headed by the region's name
 * and inputs like the graph itself, and closed by a line holding a closing brace for the node:
 *
 * <pre>
 *   %4: float32[8] = Cond(%2, %0, %1) {
 *     ifTrue(%5: float32[8], %6: float32[8]) {
 *       %7: float32[8] = Binary{fn: MUL}(%5, %6)
 *       return %7
 *     }
 *     ifFalse(%8: float32[8], %9: float32[8]) {
 *       return %8
 *     }
 *   }
 * </pre>
 *
 * Values are numbered in the order they are defined, regions included, so {@code print(parse(print(g)))}
 * is {@code print(g)}. A region sees only its own values. Parameters parse unbound (no tensor);
 * lines starting with {@code #} are comments.
 */
public final class GraphText {
    private GraphText() {}

    public static String print(Graph g) {
        StringBuilder sb = new StringBuilder();
        printBlock(sb, "graph", g, new IdentityHashMap<>(), "");
        return sb.toString();
    }

    /** A block: {@code name(inputs)} and an opening brace, the graph's lines indented two more than {@code outer}, the closing brace. */
    private static void printBlock(StringBuilder sb, String name, Graph g, Map<Value, Integer> ids, String outer) {
        String indent = outer + "  ";
        sb.append(outer).append(name).append('(');
        for (int i = 0; i < g.inputs().size(); i++) {
            Value v = g.inputs().get(i);
            sb.append(i == 0 ? "" : ", ").append(name(ids, v)).append(": ").append(spec(v.spec()));
        }
        sb.append(") {\n");
        g.randomInputs().forEach((v, fill) -> sb.append(indent).append("random ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" = ")
                .append(org.sinter.ops.Op.describe(fill)).append("\n"));
        g.parameters().forEach((v, p) -> {
            if (p.constant() && v.shape().length > 0) { // a tensor constant: its values are not printed
                sb.append(indent).append("const ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" \"").append(p.name()).append("\"\n");
            } else if (p.constant()) {
                sb.append(indent).append("const ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" = ")
                        .append(scalarText(p.tensor())).append(p.tensor().isWrappedNumber() ? " wrapped" : "").append(" \"").append(p.name()).append("\"\n");
            } else {
                sb.append(indent).append("param ").append(name(ids, v)).append(": ").append(spec(v.spec())).append(" \"").append(p.name()).append("\"\n");
            }
        });
        for (Node n : g.nodes()) {
            sb.append(indent);
            for (int i = 0; i < n.outputs().size(); i++) {
                Value v = n.outputs().get(i);
                sb.append(i == 0 ? "" : ", ").append(name(ids, v)).append(": ").append(spec(v.spec()));
            }
            sb.append(" = ").append(OpCodec.print(n.op())).append('(');
            for (int i = 0; i < n.inputs().size(); i++) sb.append(i == 0 ? "" : ", ").append(ref(ids, n.inputs().get(i)));
            sb.append(')');
            Map<String, Graph> regions = OpCodec.regions(n.op());
            if (!regions.isEmpty()) {
                sb.append(" {\n");
                regions.forEach((region, r) -> printBlock(sb, region, r, ids, indent + "  "));
                sb.append(indent).append('}');
            }
            sb.append('\n');
        }
        g.updates().forEach((p, v) -> sb.append(indent).append("update \"").append(g.parameter(p).name()).append("\" = ").append(ref(ids, v)).append("\n"));
        sb.append(indent).append("return");
        for (int i = 0; i < g.outputs().size(); i++) sb.append(i == 0 ? " " : ", ").append(ref(ids, g.outputs().get(i)));
        sb.append('\n').append(outer).append("}\n");
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
        Lines in = new Lines(text);
        if (!in.advance()) throw new IllegalArgumentException("graph text: empty, expected 'graph(...) {'");
        Graph g = in.at(() -> parseBlock(in, "graph"));
        if (in.advance()) throw new ParseError(in.number, in.line, "text after the closing '}'");
        return g;
    }

    /** The text's lines without blanks and comments, one at a time, with their numbers. */
    private static final class Lines {
        private final String[] raw;
        private int next;
        int number;
        String line;

        Lines(String text) {
            raw = text.split("\n");
        }

        boolean advance() {
            while (next < raw.length) {
                String l = raw[next++].strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                number = next;
                line = l;
                return true;
            }
            return false;
        }

        /** Runs {@code parse} for the current line; an error names that line (errors from lines nested in it name theirs). */
        <T> T at(java.util.function.Supplier<T> parse) {
            int n = number;
            String l = line;
            try {
                return parse.get();
            } catch (ParseError e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new ParseError(n, l, e.getMessage(), e);
            }
        }
    }

    /** An error already placed at its line. */
    private static final class ParseError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ParseError(int line, String text, String message) {
            super("graph text line " + line + " '" + text + "': " + message);
        }

        ParseError(int line, String text, String message, Throwable cause) {
            this(line, text, message);
            initCause(cause);
        }
    }

    /**
     * Parses a block from its header line, {@code name(%0: spec, ...)} and an opening brace (the
     * current line), to its closing brace: the top-level graph ({@code name} "graph") or a region
     * (any name: null).
     */
    private static Graph parseBlock(Lines in, String name) {
        String header = in.line;
        int open = header.indexOf('(');
        if (open < 0 || !header.endsWith(") {") || (name != null && !header.substring(0, open).equals(name))) {
            throw new IllegalArgumentException("expected '" + (name == null ? "region" : name) + "(...) {'");
        }
        Graph g = new Graph();
        Map<String, Value> values = new HashMap<>();
        for (String decl : splitArgs(header.substring(open + 1, header.length() - 3))) {
            String[] nv = splitDecl(decl);
            define(values, nv[0], g.addInput(parseSpec(nv[1])));
        }
        int opened = in.number;
        while (true) {
            if (!in.advance()) throw new IllegalArgumentException("graph text: missing the closing '}' of the block opened on line " + opened);
            if (in.line.equals("}")) return g;
            in.at(() -> {
                parseLine(g, values, in);
                return null;
            });
        }
    }

    private static void parseLine(Graph g, Map<String, Value> values, Lines in) {
        String line = in.line;
        if (line.startsWith("param ")) {
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
            parseNode(g, values, in);
        }
    }

    /** A node line; one ending in an opening brace is followed by its regions' blocks and a closing brace. */
    private static void parseNode(Graph g, Map<String, Value> values, Lines in) {
        String line = in.line;
        boolean hasRegions = line.endsWith(" {");
        if (hasRegions) line = line.substring(0, line.length() - 2).strip();
        int eq = line.indexOf(" = ");
        if (eq < 0) throw new IllegalArgumentException("expected '%n: spec = Op(args)'");
        List<String[]> decls = new ArrayList<>();
        for (String d : splitArgs(line.substring(0, eq))) decls.add(splitDecl(d));
        String call = line.substring(eq + 3).strip();
        int open = call.lastIndexOf('(');
        if (open < 0 || !call.endsWith(")")) throw new IllegalArgumentException("expected 'Op(args)' after '='");
        List<Value> args = new ArrayList<>();
        String argText = call.substring(open + 1, call.length() - 1).strip();
        if (!argText.isEmpty()) for (String a : argText.split(",")) args.add(use(values, a.strip()));
        Map<String, Graph> regions = new java.util.LinkedHashMap<>();
        int opened = in.number;
        while (hasRegions) {
            if (!in.advance()) throw new IllegalArgumentException("graph text: missing the closing '}' of the node opened on line " + opened);
            if (in.line.equals("}")) break;
            String region = in.line.substring(0, Math.max(0, in.line.indexOf('(')));
            Graph r = in.at(() -> parseBlock(in, null));
            if (regions.put(region, r) != null) throw new ParseError(in.number, in.line, "the region '" + region + "' appears twice");
        }
        Op op = OpCodec.parse(call.substring(0, open), regions);
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
