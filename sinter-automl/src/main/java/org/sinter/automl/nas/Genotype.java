package org.sinter.automl.nas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A discrete cell, as DARTS derives it: each intermediate node {@code j} (numbered from 2; 0 and 1 are the cell's two
 * inputs) sums exactly two operations applied to two different earlier nodes; the cell's output concatenates every
 * intermediate node. The JSON form is {@code {"nodes": [[["sep_conv_3x3", 0], ["skip_connect", 1]], ...]}}, one pair
 * of {@code [operation, input]} per node, as DARTS prints its {@code Genotype(normal=[...])}.
 */
public record Genotype(List<List<Edge>> nodes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One kept edge: {@code op} applied to node {@code input}. */
    public record Edge(Operation op, int input) {}

    public Genotype {
        nodes = nodes.stream().map(List::copyOf).toList();
        validate(nodes);
    }

    /** Refuses anything DARTS' derivation cannot produce, naming the node and edge. */
    private static void validate(List<List<Edge>> nodes) {
        if (nodes.isEmpty()) throw new IllegalArgumentException("genotype: a cell needs at least one intermediate node");
        for (int j = 0; j < nodes.size(); j++) {
            List<Edge> edges = nodes.get(j);
            String where = "genotype: node " + (j + 2);
            if (edges.size() != 2) throw new IllegalArgumentException(where + " has " + edges.size() + " inputs; a derived node has exactly 2");
            for (Edge e : edges) {
                if (e == null || e.op() == null) throw new IllegalArgumentException(where + ": missing operation");
                if (e.op() == Operation.NONE) throw new IllegalArgumentException(where + ": 'none' is never kept in a derived cell");
                if (e.input() < 0 || e.input() >= j + 2)
                    throw new IllegalArgumentException(where + ": input " + e.input() + " is not an earlier node (0.." + (j + 1) + ")");
            }
            if (edges.get(0).input() == edges.get(1).input())
                throw new IllegalArgumentException(where + ": both inputs are node " + edges.get(0).input() + "; they must differ");
        }
    }

    /** How many intermediate nodes the cell has. */
    public int nodeCount() {
        return nodes.size();
    }

    /**
     * A cell drawn uniformly from the same space DARTS derives from: for each node, two distinct earlier nodes and, for
     * each, one of the {@link Operation#CANDIDATES}.
     */
    public static Genotype random(int nodeCount, SplittableRandom random) {
        List<List<Edge>> nodes = new ArrayList<>();
        for (int j = 0; j < nodeCount; j++) {
            int predecessors = j + 2;
            int a = random.nextInt(predecessors), b = random.nextInt(predecessors - 1);
            if (b >= a) b++;
            Edge first = randomEdge(a, random), second = randomEdge(b, random);
            nodes.add(a < b ? List.of(first, second) : List.of(second, first)); // inputs in order, as derive() lists them
        }
        return new Genotype(nodes);
    }

    /**
     * A neighbour of this cell (the mutation of regularized evolution, Real et al. 2019): one edge of one
     * node changes its operation to another candidate, or its input to another earlier node (not the
     * node's other input), each with probability one half; inputs stay listed in order.
     */
    public Genotype mutate(SplittableRandom random) {
        List<List<Edge>> out = new ArrayList<>(nodes);
        int j = random.nextInt(nodes.size());
        int which = random.nextInt(2);
        Edge e = nodes.get(j).get(which), other = nodes.get(j).get(1 - which);
        int predecessors = j + 2;
        Edge changed;
        if (random.nextBoolean() || predecessors == 2) {
            int k = random.nextInt(Operation.CANDIDATES.size() - 1);
            if (k >= Operation.CANDIDATES.indexOf(e.op())) k++;
            changed = new Edge(Operation.CANDIDATES.get(k), e.input());
        } else {
            // Another earlier node, neither this edge's input nor the other edge's.
            int k = random.nextInt(predecessors - 2);
            int lo = Math.min(e.input(), other.input()), hi = Math.max(e.input(), other.input());
            if (k >= lo) k++;
            if (k >= hi) k++;
            changed = new Edge(e.op(), k);
        }
        out.set(j, changed.input() < other.input() ? List.of(changed, other) : List.of(other, changed));
        return new Genotype(out);
    }

    private static Edge randomEdge(int input, SplittableRandom random) {
        return new Edge(Operation.CANDIDATES.get(random.nextInt(Operation.CANDIDATES.size())), input);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("nodes");
        for (List<Edge> edges : nodes) {
            ArrayNode node = list.addArray();
            for (Edge e : edges) node.addArray().add(e.op().pythonName()).add(e.input());
        }
        return root.toString();
    }

    public static Genotype fromJson(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("genotype: not JSON: " + e.getMessage(), e);
        }
        JsonNode list = root == null ? null : root.get("nodes");
        if (list == null || !list.isArray()) throw new IllegalArgumentException("genotype: expected {\"nodes\": [...]} at the top");
        List<List<Edge>> nodes = new ArrayList<>();
        for (int j = 0; j < list.size(); j++) {
            JsonNode node = list.get(j);
            if (!node.isArray()) throw new IllegalArgumentException("genotype: node " + (j + 2) + " must be a list of [operation, input]");
            List<Edge> edges = new ArrayList<>();
            for (JsonNode e : node) {
                if (!e.isArray() || e.size() != 2 || !e.get(0).isTextual() || !e.get(1).canConvertToInt() || !e.get(1).isIntegralNumber())
                    throw new IllegalArgumentException("genotype: node " + (j + 2) + ": each edge is [\"operation\", input], got " + e);
                edges.add(new Edge(Operation.fromName(e.get(0).asText()), e.get(1).asInt()));
            }
            nodes.add(edges);
        }
        return new Genotype(nodes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int j = 0; j < nodes.size(); j++) {
            if (j > 0) s.append("; ");
            s.append(j + 2).append(" = ");
            List<Edge> edges = nodes.get(j);
            for (int k = 0; k < edges.size(); k++) {
                if (k > 0) s.append(" + ");
                s.append(edges.get(k).op().pythonName()).append('(').append(edges.get(k).input()).append(')');
            }
        }
        return s.toString();
    }
}
