package org.sinter.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

class DatasetTest {
    static TensorDataset numbers(int n) {
        float[] x = new float[n * 2];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return new TensorDataset(Tensor.of(x, n, 2), Tensor.of(y));
    }

    @Test
    void tensorDatasetIndexesAlongDimZero() {
        TensorDataset ds = numbers(5);
        assertEquals(5, ds.size());
        Tensor[] s = ds.get(3);
        assertEquals(2, s.length);
        assertArrayEquals(new float[] {3, -3}, s[0].toFloatArray());
        assertEquals(0, s[1].dim());
        assertEquals(DType.INT64, s[1].dtype());
        assertEquals(0, s[1].itemLong());
        var e = assertThrows(IndexOutOfBoundsException.class, () -> ds.get(5));
        assertTrue(e.getMessage().contains("index 5") && e.getMessage().contains("size 5"), e.getMessage());
    }

    @Test
    void tensorDatasetRejectsMismatchedLengths() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(3)));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test
    void subsetAndConcat() {
        TensorDataset ds = numbers(6);
        Subset<Tensor[]> sub = new Subset<>(ds, new int[] {5, 0, 2});
        assertEquals(3, sub.size());
        assertEquals(5f, sub.get(0)[0].toFloatArray()[0]);
        assertEquals(2f, sub.get(2)[0].toFloatArray()[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset<>(ds, new int[] {6}));
        Subset<Tensor[]> empty = Subset.range(ds, 2, 2);
        var cat = ConcatDataset.of(sub, empty, Subset.range(ds, 1, 3));
        assertEquals(5, cat.size());
        float[] firsts = new float[5];
        for (int i = 0; i < 5; i++) firsts[i] = cat.get(i)[0].toFloatArray()[0];
        assertArrayEquals(new float[] {5, 0, 2, 1, 2}, firsts);
        assertThrows(IndexOutOfBoundsException.class, () -> cat.get(5));
    }

    @Test
    void randomSplitIsADisjointCoverAndReproducible() {
        TensorDataset ds = numbers(10);
        List<Subset<Tensor[]>> a = Dataset.randomSplit(ds, new int[] {7, 3}, new Generator(11));
        List<Subset<Tensor[]>> b = Dataset.randomSplit(ds, new int[] {7, 3}, new Generator(11));
        assertEquals(7, a.get(0).size());
        assertEquals(3, a.get(1).size());
        assertArrayEquals(a.get(0).indices(), b.get(0).indices());
        Set<Integer> all = new HashSet<>();
        for (var part : a) for (int i : part.indices()) assertTrue(all.add(i));
        assertEquals(10, all.size());
        var e = assertThrows(IllegalArgumentException.class, () -> Dataset.randomSplit(ds, new int[] {5, 4}, new Generator(0)));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("10"), e.getMessage());
        List<Subset<Tensor[]>> f = Dataset.randomSplit(ds, new double[] {0.55, 0.45}, new Generator(1));
        assertEquals(10, f.get(0).size() + f.get(1).size());
        assertEquals(6, f.get(0).size()); // floor 5 and 4, the leftover goes to the first part
    }

    @Test
    void mapAppliesATransformWithTheGivenGenerator() {
        Dataset<Double> ds = numbers(4).map((s, gen) -> s[0].toFloatArray()[0] + gen.random().nextDouble());
        double a = ds.get(2, new Generator(3)), b = ds.get(2, new Generator(3));
        assertEquals(a, b);
        assertTrue(a >= 2 && a < 3);
    }
}
