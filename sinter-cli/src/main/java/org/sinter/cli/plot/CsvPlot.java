package org.sinter.cli.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws one line per group of a CSV file's rows, for benchmark scripts that produce tables:
 * {@code CsvPlot IN.csv X_COLUMN Y_COLUMN GROUP_COLUMN OUT.png [TITLE]}. The first line names the
 * columns; rows keep their order within a group; values may not contain commas.
 */
public final class CsvPlot {
    private CsvPlot() {}

    public static LineChart chart(List<String> lines, String xColumn, String yColumn, String groupColumn, String title) {
        if (lines.isEmpty()) throw new IllegalArgumentException("CsvPlot: the CSV is empty (no header)");
        List<String> header = List.of(lines.getFirst().strip().split(","));
        int xi = column(header, xColumn), yi = column(header, yColumn), gi = column(header, groupColumn);
        Map<String, List<double[]>> groups = new LinkedHashMap<>();
        for (int r = 1; r < lines.size(); r++) {
            String line = lines.get(r).strip();
            if (line.isEmpty()) continue;
            String[] f = line.split(",", -1);
            if (f.length != header.size()) throw new IllegalArgumentException("CsvPlot: row " + (r + 1) + " has " + f.length + " fields, the header " + header.size());
            groups.computeIfAbsent(f[gi], g -> new ArrayList<>()).add(new double[] {number(f[xi], r, xColumn), number(f[yi], r, yColumn)});
        }
        LineChart chart = new LineChart(title).xLabel(xColumn).yLabel(yColumn);
        for (var e : groups.entrySet()) {
            double[] x = new double[e.getValue().size()], y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = e.getValue().get(i)[0];
                y[i] = e.getValue().get(i)[1];
            }
            chart.add(e.getKey(), x, y);
        }
        return chart;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("CsvPlot: no column '" + name + "' in " + header);
        return i;
    }

    private static double number(String s, int row, String column) {
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CsvPlot: row " + (row + 1) + ", column '" + column + "': not a number: '" + s + "'");
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: CsvPlot IN.csv X_COLUMN Y_COLUMN GROUP_COLUMN OUT.png [TITLE]");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        chart(lines, args[1], args[2], args[3], args.length > 5 ? args[5] : args[2] + " against " + args[1]).writePng(Path.of(args[4]));
    }
}
