package org.sinter.automl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sinter.automl.tuner.Tuner;
import org.sinter.automl.tuner.Tuners;

/**
 * Many independent next proposals of one tuner from one fixed history on a {@link TestFunction}: the history file
 * has one finished trial a line ({@code x0 x1 ... loss}, oldest first); each proposal is made by a fresh tuner
 * restored with that history and asked for a trial id past it, so every proposal draws its own random stream.
 * {@code bench/tpe_kernel_compare.py} sets these beside Optuna's proposals from the same history and tests whether
 * the two distributions differ.
 *
 * <pre>java -cp ... org.sinter.automl.bench.TunerProposals tpe BRANIN HISTORY_FILE PROPOSALS [SEED]</pre>
 * prints one proposal a line, {@code x0 x1 ...}.
 */
public final class TunerProposals {
    private TunerProposals() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: TunerProposals TUNER FUNCTION HISTORY_FILE PROPOSALS [SEED]");
            System.exit(2);
        }
        TestFunction f = TestFunction.valueOf(args[1]);
        List<double[]> history = readHistory(Path.of(args[2]), f.dimension());
        int proposals = Integer.parseInt(args[3]);
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        StringBuilder out = new StringBuilder();
        for (int k = 0; k < proposals; k++) {
            Tuner tuner = Tuners.create(args[0], f.space(), seed + k);
            for (int i = 0; i < history.size(); i++) {
                double[] row = history.get(i);
                tuner.receiveTrialResult(i, parameters(row, f.dimension()), row[f.dimension()]);
            }
            Map<String, Object> p = tuner.generateParameters(history.size()).orElseThrow();
            for (int j = 0; j < f.dimension(); j++) {
                if (j > 0) out.append(' ');
                out.append(String.format(Locale.ROOT, "%.17g", ((Number) p.get("x" + j)).doubleValue()));
            }
            out.append('\n');
        }
        System.out.print(out);
    }

    private static Map<String, Object> parameters(double[] row, int dimension) {
        Map<String, Object> p = new LinkedHashMap<>();
        for (int j = 0; j < dimension; j++) p.put("x" + j, row[j]);
        return p;
    }

    private static List<double[]> readHistory(Path file, int dimension) throws IOException {
        List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        return lines.stream().map(line -> {
            String[] fields = line.trim().split("\\s+");
            if (fields.length != dimension + 1) {
                throw new IllegalArgumentException(file + ": expected " + (dimension + 1) + " numbers a line (x0.. loss), got '" + line + "'");
            }
            double[] row = new double[fields.length];
            for (int j = 0; j < fields.length; j++) row[j] = Double.parseDouble(fields[j]);
            return row;
        }).toList();
    }
}
