package org.sinter.cli.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark table becomes one line per group, in row order; bad tables name the row and column. */
class CsvPlotTest {
    @Test
    void groupsRowsIntoSeries(@TempDir Path dir) throws Exception {
        List<String> csv = List.of("series,ranks,speedup", "ideal,1,1", "ideal,2,2", "shm,1,1", "shm,2,0.62", "ideal,4,4", "shm,4,0.31");
        LineChart c = CsvPlot.chart(csv, "ranks", "speedup", "series", "scaling");
        assertEquals(2, c.series().size());
        assertEquals("ideal", c.series().get(0).name());
        assertArrayEquals(new double[] {1, 2, 4}, c.series().get(0).x());
        assertArrayEquals(new double[] {1, 0.62, 0.31}, c.series().get(1).y());
        Path csvFile = dir.resolve("t.csv"), png = dir.resolve("t.png");
        Files.write(csvFile, csv);
        CsvPlot.main(new String[] {csvFile.toString(), "ranks", "speedup", "series", png.toString()});
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void badTablesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> CsvPlot.chart(List.of("a,b", "x,1"), "a", "c", "b", "t"));
        assertTrue(e.getMessage().contains("no column 'c'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CsvPlot.chart(List.of("g,x,y", "s,1,fast"), "x", "y", "g", "t"));
        assertTrue(e.getMessage().contains("row 2, column 'y': not a number: 'fast'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CsvPlot.chart(List.of("g,x,y", "s,1"), "x", "y", "g", "t"));
        assertTrue(e.getMessage().contains("row 2 has 2 fields"), e.getMessage());
    }
}
