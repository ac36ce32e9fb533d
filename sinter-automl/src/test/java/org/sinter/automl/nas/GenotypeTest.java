package org.sinter.automl.nas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.automl.nas.Genotype.Edge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DARTS' discretisation on hand-made alphas, genotype validation and JSON, random cells, and a derived model's file. */
class GenotypeTest {
    private static final int OPS = Operation.values().length;

    /** alpha rows for 2 nodes (5 edges) where each row's largest entry is at {@code op} with logit {@code strength}. */
    private static Tensor alpha(int[] ops, double[] strengths) {
        double[] a = new double[ops.length * OPS];
        for (int e = 0; e < ops.length; e++) a[e * OPS + ops[e]] = strengths[e];
        return Tensor.of(a, ops.length, OPS);
    }

    @Test
    void deriveKeepsTheTwoStrongestEdgesPerNodeIgnoringNone() {
        int none = Operation.NONE.ordinal(), sep = Operation.SEP_CONV_3X3.ordinal(), max = Operation.MAX_POOL_3X3.ordinal(),
                skip = Operation.SKIP_CONNECT.ordinal(), dil = Operation.DIL_CONV_3X3.ordinal();
        // Node 2: edges from 0, 1. Node 3: edges from 0, 1, 2; edge 1->3 has 'none' strongest, which must not count
        // for its operation (its best non-none op, skip, is then judged by its own weight, which is weak).
        Tensor alpha = alpha(new int[] {sep, max, dil, none, skip}, new double[] {2, 1, 0.5, 9, 3});
        try (var _ = Sinter.noGrad()) {
            alpha.narrow(0, 3, 1).narrow(1, skip, 1).fill_(0.2); // edge 1->3: none 9, skip 0.2
        }
        Genotype g = Derivation.derive(alpha, 2);
        assertEquals(List.of(new Edge(Operation.SEP_CONV_3X3, 0), new Edge(Operation.MAX_POOL_3X3, 1)), g.nodes().get(0));
        assertEquals(List.of(new Edge(Operation.DIL_CONV_3X3, 0), new Edge(Operation.SKIP_CONNECT, 2)), g.nodes().get(1));
    }

    @Test
    void deriveRanksEdgesBySoftmaxWeightNotByLogit() {
        double[] a = new double[5 * OPS];
        a[Operation.SEP_CONV_3X3.ordinal()] = 2;                                  // edge 0->2
        a[OPS + Operation.MAX_POOL_3X3.ordinal()] = 1;                            // edge 1->2
        for (int o = 1; o < OPS; o++) a[2 * OPS + o] = 2.5;                       // edge 0->3: every op 2.5,
        a[2 * OPS + Operation.AVG_POOL_3X3.ordinal()] = 2.6;                      //   avg pool the largest logit, weight 0.21
        a[3 * OPS + Operation.DIL_CONV_3X3.ordinal()] = 2;                        // edge 1->3: logit 2, weight 0.60
        a[4 * OPS + Operation.SKIP_CONNECT.ordinal()] = 1;                        // edge 2->3: logit 1, weight 0.35
        Genotype g = Derivation.derive(Tensor.of(a, 5, OPS), 2);
        assertEquals(List.of(new Edge(Operation.SEP_CONV_3X3, 0), new Edge(Operation.MAX_POOL_3X3, 1)), g.nodes().get(0));
        // By logit node 3 would keep 0->3 and 1->3; by weight (DARTS) it keeps 1->3 and 2->3.
        assertEquals(List.of(new Edge(Operation.DIL_CONV_3X3, 1), new Edge(Operation.SKIP_CONNECT, 2)), g.nodes().get(1));
        var e = assertThrows(IllegalArgumentException.class, () -> Derivation.derive(Tensor.zeros(4, OPS), 2));
        assertTrue(e.getMessage().contains("[5, 6]"), e.getMessage());
    }

    @Test
    void malformedGenotypesAreRefusedNamingTheNode() {
        var e = assertThrows(IllegalArgumentException.class, () -> Genotype.fromJson("{\"nodes\": [[[\"sep_conv_3x3\", 0], [\"none\", 1]]]}"));
        assertTrue(e.getMessage().contains("node 2") && e.getMessage().contains("none"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Genotype.fromJson("{\"nodes\": [[[\"sep_conv_3x3\", 0], [\"skip_connect\", 2]]]}"));
        assertTrue(e.getMessage().contains("input 2 is not an earlier node"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Genotype.fromJson("{\"nodes\": [[[\"sep_conv_3x3\", 1], [\"skip_connect\", 1]]]}"));
        assertTrue(e.getMessage().contains("must differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Genotype.fromJson("{\"nodes\": [[[\"conv_7x7\", 0], [\"skip_connect\", 1]]]}"));
        assertTrue(e.getMessage().contains("unknown operation 'conv_7x7'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Genotype.fromJson("{\"nodes\": [[[\"sep_conv_3x3\", 0]]]}"));
        assertTrue(e.getMessage().contains("has 1 inputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Genotype.fromJson("[1, 2"));
    }

    @Test
    void randomCellsAreWellFormedCoverTheSpaceAndRoundTrip() {
        SplittableRandom r = new SplittableRandom(5);
        Set<String> seen = new HashSet<>();
        Set<Operation> ops = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            Genotype g = Genotype.random(3, r);
            assertEquals(g, Genotype.fromJson(g.toJson()));
            for (List<Edge> node : g.nodes()) {
                assertTrue(node.get(0).input() < node.get(1).input());
                node.forEach(e -> ops.add(e.op()));
            }
            seen.add(g.toJson());
        }
        assertEquals(Set.copyOf(Operation.CANDIDATES), ops);
        assertTrue(seen.size() > 490, "500 draws from a space of 5^6 * 1 * 3 * 6 cells should rarely repeat: " + seen.size());
        assertNotEquals(Genotype.random(3, new SplittableRandom(1)), Genotype.random(3, new SplittableRandom(2)));
        assertEquals(Genotype.random(3, new SplittableRandom(1)), Genotype.random(3, new SplittableRandom(1)));
    }

    @Test
    void derivedModelSavesAndLoadsFromItsFileAlone(@TempDir Path dir) throws Exception {
        Sinter.manualSeed(3);
        Genotype g = Genotype.random(2, new SplittableRandom(9));
        DerivedNetwork net = new DerivedNetwork(g, new CellStack.NetworkShape(2, 2, 2, 10));
        net.eval();
        Tensor x = Tensor.randn(4, 1, 28, 28);
        Tensor expected;
        try (var _ = Sinter.noGrad()) {
            expected = net.forward(x);
        }
        Path file = dir.resolve("model.safetensors");
        net.save(file);
        DerivedNetwork loaded = DerivedNetwork.load(file);
        assertEquals(g, loaded.genotype());
        try (var _ = Sinter.noGrad()) {
            assertTrue(expected.equal(loaded.forward(x)));
        }
        Files.write(dir.resolve("plain.safetensors"), new byte[0]);
        var e = assertThrows(Exception.class, () -> DerivedNetwork.load(dir.resolve("plain.safetensors")));
        assertTrue(e.getMessage().contains("plain.safetensors"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 3, 28, 28)));
        assertTrue(bad.getMessage().contains("[N, 1, 28, 28]"), bad.getMessage());
    }
}
