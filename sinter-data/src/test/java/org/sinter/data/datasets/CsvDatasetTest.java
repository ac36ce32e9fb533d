package org.sinter.data.datasets;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.DType;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Example;
import org.sinter.data.io.CorruptDataException;

class CsvDatasetTest {
    static final String FRUIT = """
            weight,"colour, hue",kind,price
            150,0.8,apple,1.5
            120,0.2,"pear",1.25

            170,0.9,apple,2
            """;

    static CorruptDataException fails(String csv, String label) {
        return assertThrows(CorruptDataException.class, () -> CsvDataset.builder("t.csv", csv).label(label).build());
    }

    @Test
    void readsHeaderFeaturesAndStringLabels() throws IOException {
        CsvDataset ds = CsvDataset.builder("fruit.csv", FRUIT).label("kind").build();
        assertEquals(3, ds.size());
        assertEquals(List.of("weight", "colour, hue", "price"), ds.featureNames());
        assertEquals(List.of("apple", "pear"), ds.classes());
        Example e = ds.get(1);
        assertArrayEquals(new float[] {120, 0.2f, 1.25f}, e.input().toFloatArray());
        assertEquals(1, e.label());
        assertArrayEquals(new long[] {0, 1, 0}, ds.targets().toLongArray());
        assertArrayEquals(new int[] {3, 3}, ds.features().shape());
        Batch b = DataLoader.of(ds, 3, false).iterator().next();
        assertEquals(DType.INT64, b.target().dtype());
    }

    @Test
    void numericTargetAndNoHeader(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("r.csv");
        Files.writeString(f, "1;2;0.5\n3;4;1.5\n");
        CsvDataset ds = CsvDataset.builder(f).header(false).delimiter(';').labelColumn(-1).numericTarget().build();
        assertEquals(List.of("column0", "column1"), ds.featureNames());
        assertEquals(1.5f, ds.get(1).target().item(), 0f);
        assertEquals(DType.FLOAT32, ds.get(1).target().dtype());
        CsvDataset byIndex = CsvDataset.builder(f).header(false).delimiter(';').labelColumn(0).numericTarget().build();
        assertArrayEquals(new float[] {4, 1.5f}, byIndex.get(1).input().toFloatArray());
    }

    @Test
    void errorsNameTheLineAndColumn() {
        var e = fails("a,b,y\n1,2,0\n3,x,1\n", "y");
        assertEquals("t.csv: line 3, column 'b': 'x' is not a number", e.getMessage());
        e = fails("a,b,y\n1,2,0\n3,1\n", "y");
        assertEquals("line 3", e.field());
        assertTrue(e.getMessage().contains("expected 3 fields") && e.getMessage().contains("found 2"), e.getMessage());
        e = fails("a,b,y\n1,,0\n", "y");
        assertTrue(e.getMessage().contains("line 2, column 'b': empty value"), e.getMessage());
        e = fails("a,b,y\n1,2,0\n", "label");
        assertTrue(e.getMessage().contains("no column named 'label'"), e.getMessage());
        e = fails("a,b,y\n1,\"2,0\n", "y");
        assertTrue(e.getMessage().contains("line 2: unterminated quoted field"), e.getMessage());
        e = fails("", "y");
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(CorruptDataException.class,
                () -> CsvDataset.builder("t.csv", "a,y\n1,cat\n2,dog\n").label("y").classes(List.of("cat")).build());
        assertTrue(e.getMessage().contains("line 3, column 'y': label 'dog'"), e.getMessage());
    }

    @Test
    void irisFromDebiansScikitLearn() throws IOException {
        Path iris = Path.of("/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv");
        assumeTrue(Files.isRegularFile(iris), "python3-sklearn's iris.csv is not installed");
        // scikit-learn's header line is "150,4,setosa,versicolor,virginica", not column names
        CsvDataset ds = CsvDataset.builder(iris).labelColumn(-1).build();
        assertEquals(150, ds.size());
        assertEquals(4, ds.featureNames().size());
        assertEquals(List.of("0", "1", "2"), ds.classes());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, ds.get(0).input().toFloatArray());
        long[] y = ds.targets().toLongArray();
        int[] counts = new int[3];
        for (long c : y) counts[(int) c]++;
        assertArrayEquals(new int[] {50, 50, 50}, counts);
    }
}
