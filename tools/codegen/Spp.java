import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sinter's kernel template preprocessor, after the JDK's own {@code Spp} (which generates the
 * Vector API and NIO buffer classes for each element type). Java generics cannot specialise over
 * primitive arrays and vector species, so each kernel is written once as a template and expanded
 * here, at build time, into plain Java with one copy per element type.
 *
 * <pre>
 *   java tools/codegen/Spp.java TEMPLATE_ROOT OUT_ROOT
 * </pre>
 * Every {@code X.java.template} below TEMPLATE_ROOT becomes {@code X.java} at the same relative
 * path below OUT_ROOT (rewritten only when its text changes, so incremental builds stay quiet).
 *
 * <p>The template language, one directive per line:
 * <ul>
 *   <li>{@code #for[f32, f64]} ... {@code #end[for]}: the block once per element type, with that
 *       type's variables and keys; {@code #for[dst: f32, i64]} ... {@code #end[dst]} binds them
 *       with a prefix ({@code $dst.type$}, key {@code dst.floatingPoint}) so loops can nest.</li>
 *   <li>{@code #for[FN OP in ADD add, SUB sub]} ... {@code #end[FN]}: the block once per row,
 *       binding {@code $FN$} and {@code $OP$} to its words (for operator lists).</li>
 *   <li>{@code #if[key]} ... {@code #else[key]} ... {@code #end[key]}: a key is a name
 *       ({@code floatingPoint}), {@code !key}, {@code a=b} (equal text, after variables are
 *       substituted: {@code #if[$x$=$dst.x$]}), {@code a&b} (both) or {@code a|b} (either;
 *       binds loosest).</li>
 *   <li>inline, within a line: {@code {#if[key]?then}} and {@code {#if[key]?then:else}}.</li>
 *   <li>{@code $var$} anywhere: a variable of the enclosing type(s), see {@link #KINDS} ({@code $DType$}
 *       is the {@code org.sinter.DType} constant, for generated dtype dispatch). An unknown
 *       variable or key is an error, so a typo cannot pass silently.</li>
 *   <li>{@code #//} starts a template comment line (not copied).</li>
 * </ul>
 */
public final class Spp {
    private Spp() {}

    /** An element type: its variables ({@code $type$} ...) and the keys {@code #if} can test. */
    record Kind(Map<String, String> vars, Set<String> keys) {}

    private static Kind kind(String type, String Type, String box, String x, String X, String vector,
                             String bitsType, String bitsVector, String... keys) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("type", type);        // the Java element type of the storage array
        v.put("Type", Type);        // capitalised, for names: FloatVector, Float.MAX_VALUE
        v.put("Boxtype", box);      // the boxed type, for VectorSpecies<$Boxtype$>
        v.put("x", x);              // the dtype tag in method names: f32ToI64, sumF64 (via $X$)
        v.put("X", X);
        v.put("Vector", vector);    // the Vector API class
        v.put("Bitstype", bitsType);     // the same-width integer (float: int), for bit tricks
        v.put("BitsVector", bitsVector);
        v.put("Bits", bitsVector.replace("Vector", ""));  // reinterpretAs$Bits$s(): Ints, Longs
        v.put("DType", DTYPES.getOrDefault(x, ""));      // the org.sinter.DType constant, for dtype dispatch
        // A cast from the wider type a computation runs in (double, long) back to this type, empty
        // where there is nothing to narrow, so generated code has no redundant casts.
        v.put("narrow", type.equals("double") || type.equals("long") ? "" : "(" + type + ") ");
        Set<String> k = new HashSet<>(List.of(keys));
        k.add(x);
        return new Kind(v, k);
    }

    /** The {@code org.sinter.DType} constant each element type stores (u8 has none). */
    private static final Map<String, String> DTYPES = Map.of("f32", "FLOAT32", "f64", "FLOAT64", "i32", "INT32", "i64", "INT64",
            "bool", "BOOL", "f16", "FLOAT16", "bf16", "BFLOAT16");

    /** The element types a template may name in {@code #for}. */
    static final Map<String, Kind> KINDS = Map.of(
            "f32", kind("float", "Float", "Float", "f32", "F32", "FloatVector", "int", "IntVector", "floatingPoint", "vector"),
            "f64", kind("double", "Double", "Double", "f64", "F64", "DoubleVector", "long", "LongVector", "floatingPoint", "vector"),
            "i32", kind("int", "Int", "Integer", "i32", "I32", "IntVector", "int", "IntVector", "integral", "vector"),
            "i64", kind("long", "Long", "Long", "i64", "I64", "LongVector", "long", "LongVector", "integral", "vector"),
            "u8", kind("byte", "Byte", "Byte", "u8", "U8", "ByteVector", "byte", "ByteVector", "integral", "vector"),
            "bool", kind("byte", "Byte", "Byte", "bool", "Bool", "ByteVector", "byte", "ByteVector"),
            "f16", kind("short", "Short", "Short", "f16", "F16", "ShortVector", "short", "ShortVector", "half"),
            "bf16", kind("short", "Short", "Short", "bf16", "BF16", "ShortVector", "short", "ShortVector", "half"));

    // ---------------------------------------------------------------- parse

    sealed interface Node permits Text, If, For {}

    record Text(String line, int lineNo) implements Node {}

    record If(String key, List<Node> then, List<Node> otherwise, int lineNo) implements Node {}

    /** A loop: over element types (kinds, bound under prefix), or over rows of words bound to names. */
    record For(String prefix, List<String> kinds, List<String> names, List<List<String>> rows, List<Node> body, int lineNo)
            implements Node {}

    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*#(if|else|end|for)\\[(.*)]\\s*$");
    private static final Pattern VAR = Pattern.compile("\\$([A-Za-z][A-Za-z0-9_.]*)\\$");
    private static final Pattern INLINE_IF = Pattern.compile("\\{#if\\[([^\\]]+)]\\?([^:}]*)(?::([^}]*))?}");

    /** An open block while parsing: where its lines go, and the word its #end must name. */
    private static final class Open {
        final Node node;
        List<Node> target;
        final String endName;

        Open(Node node, List<Node> target, String endName) {
            this.node = node;
            this.target = target;
            this.endName = endName;
        }
    }

    static List<Node> parse(List<String> lines, String file) {
        List<Node> root = new ArrayList<>();
        Deque<Open> stack = new ArrayDeque<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int no = i + 1;
            List<Node> target = stack.isEmpty() ? root : stack.peek().target;
            if (line.stripLeading().startsWith("#//")) continue;
            Matcher m = DIRECTIVE.matcher(line);
            if (!m.matches()) {
                target.add(new Text(line, no));
                continue;
            }
            String word = m.group(1), arg = m.group(2).trim();
            switch (word) {
                case "if" -> {
                    If node = new If(arg, new ArrayList<>(), new ArrayList<>(), no);
                    target.add(node);
                    stack.push(new Open(node, node.then(), arg));
                }
                case "for" -> {
                    int in = arg.indexOf(" in ");
                    if (in >= 0) {
                        List<String> names = List.of(arg.substring(0, in).trim().split("\\s+"));
                        List<List<String>> rows = new ArrayList<>();
                        for (String row : arg.substring(in + 4).split(",")) {
                            List<String> words = List.of(row.trim().split("\\s+"));
                            if (words.size() != names.size()) throw error(file, no, "row '" + row.trim() + "' does not bind " + names);
                            rows.add(words);
                        }
                        For node = new For("", List.of(), names, rows, new ArrayList<>(), no);
                        target.add(node);
                        stack.push(new Open(node, node.body(), names.get(0)));
                        continue;
                    }
                    int colon = arg.indexOf(':');
                    String prefix = colon < 0 ? "" : arg.substring(0, colon).trim();
                    List<String> kinds = new ArrayList<>();
                    for (String k : arg.substring(colon + 1).split(",")) {
                        if (!KINDS.containsKey(k.trim())) throw error(file, no, "unknown element type '" + k.trim() + "'");
                        kinds.add(k.trim());
                    }
                    For node = new For(prefix, kinds, List.of(), List.of(), new ArrayList<>(), no);
                    target.add(node);
                    stack.push(new Open(node, node.body(), prefix.isEmpty() ? "for" : prefix));
                }
                case "else" -> {
                    if (stack.isEmpty() || !(stack.peek().node instanceof If f) || !stack.peek().endName.equals(arg)) {
                        throw error(file, no, "#else[" + arg + "] without a matching #if");
                    }
                    stack.peek().target = f.otherwise();
                }
                default -> {
                    if (stack.isEmpty() || !stack.peek().endName.equals(arg)) {
                        throw error(file, no, "#end[" + arg + "] does not close the innermost block"
                                + (stack.isEmpty() ? "" : " (#" + stack.peek().endName + ")"));
                    }
                    stack.pop();
                }
            }
        }
        if (!stack.isEmpty()) throw error(file, lines.size(), "unclosed block [" + stack.peek().endName + "]");
        return root;
    }

    // ---------------------------------------------------------------- expand

    /** The variables and keys in scope: outer type bindings, shadowed or extended by inner ones. */
    record Env(Map<String, String> vars, Set<String> keys) {
        Env with(String prefix, Kind k) {
            Map<String, String> v = new HashMap<>(vars);
            Set<String> s = new HashSet<>(keys);
            String p = prefix.isEmpty() ? "" : prefix + ".";
            if (prefix.isEmpty()) s.removeIf(key -> !key.contains(".")); // an unprefixed loop replaces the type keys
            k.vars().forEach((name, value) -> v.put(p + name, value));
            k.keys().forEach(key -> s.add(p + key));
            return new Env(v, s);
        }
    }

    static void render(List<Node> nodes, Env env, String file, StringBuilder out) {
        for (Node n : nodes) {
            switch (n) {
                case Text t -> out.append(substitute(t.line(), env, file, t.lineNo())).append('\n');
                case If f -> render(test(f.key(), env, file, f.lineNo()) ? f.then() : f.otherwise(), env, file, out);
                case For f -> {
                    for (String k : f.kinds()) render(f.body(), env.with(f.prefix(), KINDS.get(k)), file, out);
                    for (List<String> row : f.rows()) {
                        Map<String, String> v = new HashMap<>(env.vars());
                        for (int i = 0; i < row.size(); i++) v.put(f.names().get(i), vars(row.get(i), env, file, f.lineNo()));
                        render(f.body(), new Env(v, env.keys()), file, out);
                    }
                }
            }
        }
    }

    static boolean test(String key, Env env, String file, int no) {
        String k = vars(key, env, file, no);
        int bar = k.indexOf('|');
        if (bar >= 0) return test(k.substring(0, bar), env, file, no) || test(k.substring(bar + 1), env, file, no);
        int amp = k.indexOf('&');
        if (amp >= 0) return test(k.substring(0, amp), env, file, no) && test(k.substring(amp + 1), env, file, no);
        if (k.startsWith("!")) return !test(k.substring(1), env, file, no);
        int eq = k.indexOf('=');
        if (eq >= 0) return k.substring(0, eq).trim().equals(k.substring(eq + 1).trim());
        if (!KNOWN_KEYS.contains(k.replaceFirst("^.*\\.", ""))) throw error(file, no, "unknown key '" + k + "'");
        return env.keys().contains(k);
    }

    private static final Set<String> KNOWN_KEYS = knownKeys();

    private static Set<String> knownKeys() {
        Set<String> s = new HashSet<>();
        KINDS.values().forEach(k -> s.addAll(k.keys()));
        return s;
    }

    static String substitute(String line, Env env, String file, int no) {
        Matcher m = INLINE_IF.matcher(line);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String chosen = test(m.group(1), env, file, no) ? m.group(2) : m.group(3) == null ? "" : m.group(3);
            m.appendReplacement(sb, Matcher.quoteReplacement(chosen));
        }
        m.appendTail(sb);
        return vars(sb.toString(), env, file, no);
    }

    static String vars(String text, Env env, String file, int no) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = env.vars().get(m.group(1));
            if (value == null) throw error(file, no, "unknown variable $" + m.group(1) + "$ here");
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static IllegalArgumentException error(String file, int line, String message) {
        return new IllegalArgumentException(file + ":" + line + ": " + message);
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java tools/codegen/Spp.java TEMPLATE_ROOT OUT_ROOT");
            System.exit(2);
        }
        Path in = Path.of(args[0]), out = Path.of(args[1]);
        List<Path> templates;
        try (Stream<Path> s = Files.walk(in)) {
            templates = s.filter(p -> p.toString().endsWith(".java.template")).sorted().toList();
        }
        int written = 0;
        Set<Path> produced = new HashSet<>();
        for (Path t : templates) {
            String rel = in.relativize(t).toString();
            List<String> lines = Files.readAllLines(t, StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder("// Generated by tools/codegen/Spp.java from src/main/templates/" + rel
                    + ". Do not edit: edit the template.\n");
            render(parse(lines, rel), new Env(Map.of(), Set.of()), rel, sb);
            Path target = out.resolve(rel.substring(0, rel.length() - ".template".length()));
            String text = sb.toString();
            produced.add(target);
            if (!Files.exists(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(text)) {
                Files.createDirectories(target.getParent());
                Files.writeString(target, text, StandardCharsets.UTF_8);
                written++;
            }
        }
        if (Files.isDirectory(out)) { // a template that was removed or renamed leaves no stale class behind
            try (Stream<Path> s = Files.walk(out)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".java") && !produced.contains(p)).toList()) Files.delete(p);
            }
        }
        System.out.println("Spp: " + templates.size() + " templates, " + written + " files rewritten in " + out);
    }
}
