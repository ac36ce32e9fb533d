package org.sinter.automl.nas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A tiny DARTS search (2 channels, 2 cells of 2 nodes, 96 + 64 synthetic 28x28 images) through the real loop: alpha
 * stays put during the warm-up epoch and moves after it, every epoch's cell is well formed and is what
 * {@link Derivation} makes of the final alpha; the one-shot search ranks its candidates; bad settings are refused.
 */
class DartsSearchTest {
    private static final CellStack.NetworkShape TINY = new CellStack.NetworkShape(2, 2, 2, 10);

    /** Noise images whose label is the brightest of ten horizontal bands (learnable, not trivially). */
    private static NasData synthetic() {
        Generator g = new Generator(11);
        Tensor x = g.randn(org.sinter.DType.FLOAT32, 224, 1, 28, 28);
        long[] y = new long[224];
        for (int i = 0; i < y.length; i++) {
            int band = (int) (i * 7L % 10);
            y[i] = band;
            x.narrow(0, i, 1).narrow(2, band * 2 + 4, 2).add_(1.5);
        }
        Tensor labels = Tensor.of(y);
        return new NasData(x.narrow(0, 0, 96), labels.narrow(0, 0, 96), x.narrow(0, 96, 64), labels.narrow(0, 96, 64),
                x.narrow(0, 160, 64), labels.narrow(0, 160, 64));
    }

    @Test
    void tinySearchMovesAlphaOnlyAfterWarmupAndDerivesAWellFormedCell() {
        DartsSearch.Options options = DartsSearch.Options.defaults(3, 4).withBatchSize(32).withWarmup(1);
        double[][] initial = DartsSearch.softmaxRows(new SearchNetwork(TINY, new Generator(options.seed() + 2)).alpha());
        List<DartsSearch.EpochReport> seen = new ArrayList<>();
        DartsSearch.Result result = DartsSearch.search(synthetic(), TINY, options, seen::add);

        assertEquals(3, seen.size());
        for (int e = 0; e < initial.length; e++) assertArrayEquals(initial[e], seen.get(0).weights()[e], 0, "warm-up moved alpha (edge " + e + ")");
        double moved = 0;
        for (int e = 0; e < initial.length; e++)
            for (int o = 0; o < initial[e].length; o++) moved = Math.max(moved, Math.abs(seen.get(2).weights()[e][o] - initial[e][o]));
        assertTrue(moved > 1e-3, "alpha did not move after the warm-up: " + moved);

        Genotype cell = result.genotype();
        assertEquals(cell, Derivation.derive(result.network().alpha(), TINY.nodes()));
        assertEquals(cell, seen.get(2).genotype());
        assertEquals(TINY.nodes(), cell.nodeCount());
        for (int j = 0; j < cell.nodeCount(); j++)
            for (Genotype.Edge edge : cell.nodes().get(j)) {
                assertTrue(edge.input() < j + 2);
                assertTrue(Operation.CANDIDATES.contains(edge.op()));
            }
        assertEquals(cell, Genotype.fromJson(cell.toJson()));
        for (DartsSearch.EpochReport r : seen) assertTrue(Double.isFinite(r.trainLoss()) && r.validationAccuracy() >= 0);

        // The derived cell is a trainable network of its own.
        Retraining.Result retrained = Retraining.train(cell, TINY, synthetic().mergedForRetraining(), new Retraining.Options(1, 32, 0.05, 0));
        assertTrue(Double.isFinite(retrained.finalTrainLoss()));
        assertEquals(cell, retrained.network().genotype());
    }

    @Test
    void sameSeedSameSearch() {
        DartsSearch.Options options = DartsSearch.Options.defaults(2, 9).withBatchSize(32).withWarmup(0);
        var a = DartsSearch.search(synthetic(), TINY, options, null);
        var b = DartsSearch.search(synthetic(), TINY, options, null);
        assertTrue(a.network().alpha().equal(b.network().alpha()));
        assertEquals(a.genotype(), b.genotype());
    }

    @Test
    void oneShotRanksItsCandidatesBestFirst() {
        DartsSearch.Options options = DartsSearch.Options.defaults(1, 2).withBatchSize(32).withWarmup(0);
        OneShotSearch.Result r = OneShotSearch.search(synthetic(), TINY, options, 4, null);
        assertEquals(4, r.ranked().size());
        assertEquals(r.best(), r.ranked().getFirst().genotype());
        for (int i = 1; i < r.ranked().size(); i++)
            assertFalse(r.ranked().get(i).validationAccuracy() > r.ranked().get(i - 1).validationAccuracy());
    }

    @Test
    void oneShotEvolutionScoresDistinctCellsBestFirst() {
        DartsSearch.Options options = DartsSearch.Options.defaults(1, 2).withBatchSize(32).withWarmup(0);
        OneShotSearch.Result r = OneShotSearch.search(synthetic(), TINY, options, 8, OneShotSearch.Sampling.EVOLUTION, null);
        assertEquals(8, r.ranked().size());
        assertEquals(8, r.ranked().stream().map(OneShotSearch.Candidate::genotype).distinct().count(), "no cell scored twice");
        assertEquals(r.best(), r.ranked().getFirst().genotype());
        for (int i = 1; i < r.ranked().size(); i++)
            assertFalse(r.ranked().get(i).validationAccuracy() > r.ranked().get(i - 1).validationAccuracy());
    }

    @Test
    void aMutationChangesOneEdgeAndStaysAValidCell() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int trial = 0; trial < 500; trial++) {
            Genotype parent = Genotype.random(4, random);
            Genotype child = parent.mutate(random); // the constructor refuses anything DARTS could not derive
            int changed = 0;
            for (int j = 0; j < parent.nodeCount(); j++) {
                java.util.Set<Genotype.Edge> a = new java.util.HashSet<>(parent.nodes().get(j));
                a.removeAll(child.nodes().get(j));
                changed += a.size();
                assertTrue(child.nodes().get(j).get(0).input() < child.nodes().get(j).get(1).input(), "inputs in order: " + child);
            }
            assertEquals(1, changed, parent + " -> " + child);
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DartsSearch.Options.defaults(2, 0).withWarmup(2));
        assertThrows(IllegalArgumentException.class, () -> DartsSearch.Options.defaults(2, 0).withBatchSize(1));
        assertThrows(IllegalArgumentException.class, () -> new CellStack.NetworkShape(0, 2, 2, 10));
        NasData data = synthetic();
        NasData tinyValidation = new NasData(data.trainImages(), data.trainLabels(), data.validationImages().narrow(0, 0, 8),
                data.validationLabels().narrow(0, 0, 8), data.testImages(), data.testLabels());
        var e = assertThrows(IllegalArgumentException.class,
                () -> DartsSearch.search(tinyValidation, TINY, DartsSearch.Options.defaults(2, 0).withBatchSize(32), null));
        assertTrue(e.getMessage().contains("validation split (8 images)"), e.getMessage());
    }
}
