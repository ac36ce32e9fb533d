package org.sinter.compiler.passes.rewrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Graph;
import org.sinter.compiler.ir.Node;
import org.sinter.compiler.ir.OpCodec;
import org.sinter.compiler.ir.Value;
import org.sinter.ops.Op;
import org.sinter.ops.TensorSpec;

/**
 * One side of a rule: a small graph in the IR's text form with symbols in it. Lines are the text
 * form's node lines, whose output declarations may be left out ({@code %y = Bmm(%x, %w)}: the op's
 * meta function knows the spec), and {@code const %c: float64[] = $(M) wrapped} scalars; the last
 * line returns the side's results. Values are named ({@code %x}), not numbered. The structure is
 * parsed once; {@link #instantiate} builds the concrete graph for a binding.
 */
final class TemplateGraph {
    /** A named input and its spec template ({@code $T[$B, $*S]}). */
    record Input(String name, String spec) {}

    /** An output a node line defines, with its declared spec template or null. */
    record Output(String name, String spec) {}

    sealed interface Item permits NodeLine, ConstLine {}

    /** {@code %a, %b = Kind{attrs}(%x, %y)}: the op template, its kind and argument names. */
    record NodeLine(List<Output> outputs, String op, String kind, List<String> args) implements Item {}

    /** {@code const %c: float64[] = VALUE [wrapped]}. */
    record ConstLine(String name, String spec, String value, boolean wrapped) implements Item {}

    final List<Input> inputs;
    final List<Item> items;
    final List<String> returns;

    private TemplateGraph(List<Input> inputs, List<Item> items, List<String> returns) {
        this.inputs = List.copyOf(inputs);
        this.items = List.copyOf(items);
        this.returns = List.copyOf(returns);
    }

    /** Parses the body lines (after the header, without the closing brace); errors name the line. */
    static TemplateGraph parse(List<Input> inputs, List<String> lines) {
        List<Item> items = new ArrayList<>();
        List<String> returns = null;
        java.util.Set<String> defined = new java.util.HashSet<>();
        for (Input in : inputs) define(defined, in.name());
        for (String raw : lines) {
            String line = raw.strip();
            try {
                if (returns != null) throw new IllegalArgumentException("text after 'return'");
                if (line.startsWith("return")) {
                    returns = new ArrayList<>();
                    for (String r : TemplateText.splitTopLevel(line.substring(6))) returns.add(use(defined, r));
                    if (returns.isEmpty()) throw new IllegalArgumentException("return names no value");
                } else if (line.startsWith("const ")) {
                    items.add(parseConst(line, defined));
                } else {
                    items.add(parseNode(line, defined));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + line + "': " + e.getMessage(), e);
            }
        }
        if (returns == null) throw new IllegalArgumentException("no 'return' line");
        return new TemplateGraph(inputs, items, returns);
    }

    private static NodeLine parseNode(String line, java.util.Set<String> defined) {
        int eq = line.indexOf(" = ");
        if (eq < 0) throw new IllegalArgumentException("expected '%y = Kind{...}(%x, ...)'");
        String call = line.substring(eq + 3).strip();
        int open = call.lastIndexOf('(');
        if (open < 0 || !call.endsWith(")")) throw new IllegalArgumentException("expected 'Kind{...}(args)' after '='");
        String op = call.substring(0, open).strip();
        int brace = op.indexOf('{');
        String kind = (brace < 0 ? op : op.substring(0, brace)).strip();
        if (!OpCodec.kindNames().contains(kind)) throw new IllegalArgumentException("unknown op kind '" + kind + "'");
        List<String> args = new ArrayList<>();
        for (String a : TemplateText.splitTopLevel(call.substring(open + 1, call.length() - 1))) args.add(use(defined, a));
        List<Output> outs = new ArrayList<>();
        for (String decl : TemplateText.splitTopLevel(line.substring(0, eq))) {
            int colon = decl.indexOf(':');
            String name = (colon < 0 ? decl : decl.substring(0, colon)).strip();
            outs.add(new Output(name, colon < 0 ? null : decl.substring(colon + 1).strip()));
        }
        for (Output o : outs) define(defined, o.name());
        return new NodeLine(outs, op, kind, args);
    }

    private static ConstLine parseConst(String line, java.util.Set<String> defined) {
        int colon = line.indexOf(':'), eq = line.indexOf(" = ");
        if (colon < 0 || eq < colon) throw new IllegalArgumentException("expected 'const %c: dtype[] = value [wrapped]'");
        String name = line.substring(6, colon).strip();
        String[] value = line.substring(eq + 3).strip().split("\\s+");
        boolean wrapped = value.length == 2 && value[1].equals("wrapped");
        if (value.length > 2 || (value.length == 2 && !wrapped)) throw new IllegalArgumentException("expected a value, optionally followed by 'wrapped'");
        define(defined, name);
        return new ConstLine(name, line.substring(colon + 1, eq).strip(), value[0], wrapped);
    }

    private static void define(java.util.Set<String> defined, String name) {
        if (!name.startsWith("%")) throw new IllegalArgumentException("value names start with '%': " + name);
        if (!defined.add(name)) throw new IllegalArgumentException(name + " is defined twice");
    }

    private static String use(java.util.Set<String> defined, String name) {
        if (!defined.contains(name)) throw new IllegalArgumentException(name + " is used before it is defined");
        return name;
    }

    /** The node line defining {@code name}, or null for inputs and constants. */
    NodeLine producer(String name) {
        for (Item it : items) if (it instanceof NodeLine n && n.outputs().stream().anyMatch(o -> o.name().equals(name))) return n;
        return null;
    }

    List<NodeLine> nodes() {
        return items.stream().filter(NodeLine.class::isInstance).map(NodeLine.class::cast).toList();
    }

    /** The concrete graph: its named values, the values it returns, and the node built for each node line, in order. */
    record Instance(Graph graph, Map<String, Value> values, List<Value> results, List<Node> nodes) {}

    /** A fresh graph whose inputs are this side's inputs, instantiated under {@code b}. */
    Instance instantiate(Binding b) {
        Graph g = new Graph();
        Map<String, Value> in = new LinkedHashMap<>();
        for (Input i : inputs) in.put(i.name(), g.addInput(parseSpec(TemplateText.substitute(i.spec(), b, false))));
        Instance inst = instantiateInto(g, in, b);
        g.setOutputs(inst.results());
        return inst;
    }

    /**
     * Adds this side's nodes to {@code g}, reading {@code inputs} (name → value of {@code g}).
     * Declared output specs are unified with what the ops compute, so they may bind symbols; a
     * mismatch, or an op whose meta function refuses its arguments, is an IllegalArgumentException.
     */
    Instance instantiateInto(Graph g, Map<String, Value> inputs, Binding b) {
        Map<String, Value> values = new HashMap<>(inputs);
        List<Node> nodes = new ArrayList<>();
        for (Item it : items) {
            switch (it) {
                case NodeLine n -> {
                    Op op = OpCodec.parse(TemplateText.substitute(n.op(), b, false));
                    Node node = g.add(op, n.args().stream().map(values::get).toList());
                    if (node.outputs().size() != n.outputs().size()) {
                        throw new IllegalArgumentException(n.kind() + " has " + node.outputs().size() + " outputs, the rule names " + n.outputs().size());
                    }
                    for (int i = 0; i < n.outputs().size(); i++) {
                        Output o = n.outputs().get(i);
                        Value v = node.outputs().get(i);
                        if (o.spec() != null && !TemplateText.unifySpec(o.spec(), specText(v.spec()), b)) {
                            throw new IllegalArgumentException(o.name() + " is declared " + TemplateText.substitute(o.spec(), b, true) + " but "
                                    + OpCodec.print(op) + " gives " + specText(v.spec()));
                        }
                        values.put(o.name(), v);
                    }
                    nodes.add(node);
                }
                case ConstLine c -> values.put(c.name(), g.addConstant("rule." + c.name().substring(1), constant(c, b)));
            }
        }
        return new Instance(g, values, returns.stream().map(values::get).toList(), nodes);
    }

    private static Tensor constant(ConstLine c, Binding b) {
        TensorSpec spec = parseSpec(TemplateText.substitute(c.spec(), b, false));
        double v = Double.parseDouble(TemplateText.substitute(c.value(), b, false));
        if (spec.shape().length != 0) throw new IllegalArgumentException("rule constants are 0-d, got " + specText(spec));
        if (!c.wrapped()) return Tensor.scalar(v, spec.dtype());
        if (spec.dtype() == DType.FLOAT64) return Tensor.wrappedScalar(v);
        if (spec.dtype() == DType.INT64) return Tensor.wrappedScalar((long) v);
        throw new IllegalArgumentException("wrapped constants are float64 or int64, got " + specText(spec));
    }

    /** A spec as the IR's text form writes it: {@code float32[2, 3]}. */
    static String specText(TensorSpec s) {
        return s.dtype().name().toLowerCase(Locale.ROOT) + Arrays.toString(s.shape());
    }

    static TensorSpec parseSpec(String s) {
        int open = s.indexOf('[');
        if (open < 0 || !s.endsWith("]")) throw new IllegalArgumentException("expected dtype[shape], got '" + s + "'");
        DType dtype = DType.valueOf(s.substring(0, open).strip().toUpperCase(Locale.ROOT));
        int[] shape = TemplateText.splitTopLevel(s.substring(open + 1, s.length() - 1)).stream().mapToInt(Integer::parseInt).toArray();
        return new TensorSpec(shape, dtype);
    }
}
