package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads rules in their text form. A rule starts with {@code rule NAME}; then, in any order,
 * {@code doc TEXT}, {@code where ...} conditions (see {@link Constraint}), {@code sample ...} lines
 * for verification (see {@link Sample}), {@code allow-escape}, a {@code pattern(%x: spec, ...) { }}
 * block and a {@code replacement { }} block over the same inputs. {@code #} starts a comment line.
 */
final class RuleParser {
    private RuleParser() {}

    static List<Rule> parse(String text, String source) {
        List<Rule> rules = new ArrayList<>();
        List<String> lines = Arrays.asList(text.split("\n"));
        int start = -1;
        for (int i = 0; i <= lines.size(); i++) {
            boolean boundary = i == lines.size() || lines.get(i).strip().startsWith("rule ");
            if (!boundary) continue;
            if (start >= 0) rules.add(parseRule(lines.subList(start, i), source, start + 1));
            else if (i < lines.size()) checkBlank(lines.subList(0, i), source);
            start = i;
        }
        if (start < 0) checkBlank(lines, source);
        return rules;
    }

    private static void checkBlank(List<String> lines, String source) {
        for (String l : lines) {
            if (!l.isBlank() && !l.strip().startsWith("#")) throw new IllegalArgumentException(source + ": '" + l.strip() + "' before the first 'rule'");
        }
    }

    private static Rule parseRule(List<String> lines, String source, int firstLine) {
        String name = lines.get(0).strip().substring(5).strip();
        String where = source + " line " + firstLine + " (rule " + name + ")";
        StringBuilder doc = new StringBuilder();
        List<Constraint> constraints = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        boolean allowEscape = false;
        List<TemplateGraph.Input> inputs = null;
        List<String> patternBody = null, replacementBody = null;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            try {
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("doc ")) {
                    doc.append(doc.isEmpty() ? "" : " ").append(line.substring(4).strip());
                } else if (line.startsWith("where ")) {
                    constraints.add(constraint(line.substring(6).strip()));
                } else if (line.startsWith("sample ")) {
                    samples.add(sample(line.substring(7).strip()));
                } else if (line.equals("allow-escape")) {
                    allowEscape = true;
                } else if (line.startsWith("pattern(") && line.endsWith(") {")) {
                    inputs = new ArrayList<>();
                    for (String decl : TemplateText.splitTopLevel(line.substring(8, line.length() - 3))) {
                        int colon = decl.indexOf(':');
                        if (colon < 0) throw new IllegalArgumentException("expected '%x: spec', got '" + decl + "'");
                        inputs.add(new TemplateGraph.Input(decl.substring(0, colon).strip(), checkInputSpec(decl.substring(colon + 1).strip())));
                    }
                    patternBody = new ArrayList<>();
                    i = block(lines, i, patternBody);
                } else if (line.equals("replacement {")) {
                    replacementBody = new ArrayList<>();
                    i = block(lines, i, replacementBody);
                } else {
                    throw new IllegalArgumentException("expected doc, where, sample, allow-escape, pattern(...) { or replacement {");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (firstLine + i) + " (rule " + name + ") '" + line + "': " + e.getMessage(), e);
            }
        }
        if (patternBody == null || replacementBody == null) throw new IllegalArgumentException(where + ": needs a pattern and a replacement");
        try {
            TemplateGraph pattern = TemplateGraph.parse(inputs, patternBody);
            TemplateGraph replacement = TemplateGraph.parse(inputs, replacementBody);
            return new Rule(name, doc.toString(), String.join("\n", lines).strip(), pattern, replacement, constraints, samples, allowEscape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Collects the lines after {@code lines[open]} up to its closing brace; returns the index of that brace. */
    private static int block(List<String> lines, int open, List<String> body) {
        for (int i = open + 1; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.equals("}")) return i;
            if (!l.isEmpty() && !l.startsWith("#")) body.add(l);
        }
        throw new IllegalArgumentException("no closing '}'");
    }

    /** Input specs are a dtype or {@code $T}, and dims that are integers, {@code $N} or one {@code $*S}: matching reads symbols off them. */
    private static String checkInputSpec(String spec) {
        int open = spec.indexOf('[');
        if (open < 0 || !spec.endsWith("]")) throw new IllegalArgumentException("expected dtype[shape], got '" + spec + "'");
        for (String d : TemplateText.splitTopLevel(spec.substring(open + 1, spec.length() - 1))) {
            if (!d.matches("\\$\\*?[A-Za-z_]\\w*|\\d+")) throw new IllegalArgumentException("input dims are integers, $N or $*S, got '" + d + "' in " + spec);
        }
        return spec;
    }

    private static Constraint constraint(String s) {
        if (s.startsWith("const ")) return new Constraint.Const(s.substring(6).strip());
        if (s.startsWith("nonnegative ")) return new Constraint.NonNegative(s.substring(12).strip());
        for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
            int at = s.indexOf(op);
            if (at > 0) return new Constraint.Compare(s.substring(0, at).strip(), op, s.substring(at + op.length()).strip());
        }
        throw new IllegalArgumentException("expected 'const %x', 'nonnegative %x' or a comparison of expressions");
    }

    private static Sample sample(String s) {
        String[] parts = s.split("\\s+", 3);
        if (parts.length < 3 || !parts[0].startsWith("$")) throw new IllegalArgumentException("expected 'sample $X <how>'");
        String symbol = parts[0].substring(parts[0].startsWith("$*") ? 2 : 1);
        String rest = parts[2].strip();
        return switch (parts[1]) {
            case "in" -> {
                String[] r = range(rest);
                yield new Sample.Range(symbol, r[0], r[1]);
            }
            case "rank" -> {
                String[] r = range(rest);
                yield new Sample.Rank(symbol, r[0], r[1]);
            }
            case "=" -> new Sample.Define(symbol, rest);
            case "oneof" -> new Sample.OneOf(symbol, TemplateText.splitTopLevel(rest));
            case "dims-of" -> new Sample.DimsOf(symbol, rest.replaceFirst("^\\$\\*?", ""));
            case "reshape-of" -> new Sample.ReshapeOf(symbol, rest.replaceFirst("^\\$\\*?", ""));
            default -> throw new IllegalArgumentException("expected in, rank, =, oneof, dims-of or reshape-of after " + parts[0]);
        };
    }

    private static String[] range(String s) {
        int dots = s.indexOf("..");
        if (dots < 0) throw new IllegalArgumentException("expected LO..HI, got '" + s + "'");
        return new String[] {s.substring(0, dots).strip(), s.substring(dots + 2).strip()};
    }
}
