package org.sinter.data.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.sinter.Tensor;
import org.sinter.data.Dataset;
import org.sinter.data.Example;
import org.sinter.data.io.CorruptDataException;

/**
 * A table of numbers from a CSV file: every column but the label is a float32 feature; the label
 * column gives the target. Sample {@code i} is an {@link Example} with input {@code [F]} and a 0-d
 * int64 class index (or a float32 value with {@link Builder#numericTarget()}).
 *
 * <pre>{@code
 * CsvDataset iris = CsvDataset.builder(Path.of("iris.csv")).label("species").build();
 * iris.featureNames();   // [sepal_length, sepal_width, petal_length, petal_width]
 * iris.classes();        // [setosa, versicolor, virginica]
 * }</pre>
 *
 * Class labels that are all non-negative integers are used as they are; otherwise the distinct
 * strings, sorted, become classes 0, 1, 2... ({@link Builder#classes} fixes the order). Fields may be
 * quoted with {@code "} (a doubled quote inside is a quote). Bad input fails with a
 * {@link CorruptDataException} naming the file, the line and the column.
 */
public final class CsvDataset implements Dataset<Example> {
    private final String name;
    private final List<String> featureNames;
    private final List<String> classes;
    private final float[] features;
    private final float[] targets;
    private final int rows;
    private final int width;
    private final boolean numericTarget;

    private CsvDataset(String name, List<String> featureNames, List<String> classes, float[] features, float[] targets,
                       int rows, boolean numericTarget) {
        this.name = name;
        this.featureNames = List.copyOf(featureNames);
        this.classes = classes == null ? List.of() : List.copyOf(classes);
        this.features = features;
        this.targets = targets;
        this.rows = rows;
        this.width = featureNames.size();
        this.numericTarget = numericTarget;
    }

    public static Builder builder(Path file) {
        return new Builder(file.toString(), () -> Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /** A dataset from CSV text in memory; {@code name} stands for the file in error messages. */
    public static Builder builder(String name, String csvText) {
        return new Builder(name, () -> new StringReader(csvText));
    }

    @Override
    public int size() {
        return rows;
    }

    @Override
    public Example get(int index) {
        Dataset.checkIndex(name, index, rows);
        float[] x = new float[width];
        System.arraycopy(features, index * width, x, 0, width);
        Tensor input = Tensor.of(x);
        return numericTarget ? new Example(input, Tensor.scalar(targets[index])) : Example.of(input, (long) targets[index]);
    }

    /** The feature column names ({@code column0, column1...} without a header). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Class names, indexed by label (empty for a numeric target). */
    public List<String> classes() {
        return classes;
    }

    /** All features as float32 {@code [N, F]}. */
    public Tensor features() {
        return Tensor.of(features.clone(), rows, width);
    }

    /** All targets: int64 {@code [N]} class indices, or float32 {@code [N]} for a numeric target. */
    public Tensor targets() {
        if (numericTarget) return Tensor.of(targets.clone());
        long[] out = new long[rows];
        for (int i = 0; i < rows; i++) out[i] = (long) targets[i];
        return Tensor.of(out);
    }

    /** Options for reading a CSV file. */
    public static final class Builder {
        private interface Source {
            Reader open() throws IOException;
        }

        private final String name;
        private final Source source;
        private boolean header = true;
        private char delimiter = ',';
        private String labelName;
        private int labelIndex = -1;
        private boolean numericTarget;
        private List<String> classes;

        private Builder(String name, Source source) {
            this.name = name;
            this.source = source;
        }

        /** Whether the first line names the columns (default true). */
        public Builder header(boolean header) {
            this.header = header;
            return this;
        }

        public Builder delimiter(char delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /** The label column by header name. */
        public Builder label(String column) {
            this.labelName = column;
            return this;
        }

        /** The label column by position; negative counts from the end (default -1, the last column). */
        public Builder labelColumn(int index) {
            this.labelName = null;
            this.labelIndex = index;
            return this;
        }

        /** Read the label as a float32 regression target instead of a class. */
        public Builder numericTarget() {
            this.numericTarget = true;
            return this;
        }

        /** Fixes the class names and their order; labels must be one of them. */
        public Builder classes(List<String> classNames) {
            this.classes = List.copyOf(classNames);
            return this;
        }

        public CsvDataset build() throws IOException {
            try (BufferedReader in = new BufferedReader(source.open())) {
                return parse(in);
            }
        }

        private CsvDataset parse(BufferedReader in) throws IOException {
            List<String> names = null;
            int lineNo = 0, columns = -1, label = -1;
            List<String> rawLabels = new ArrayList<>();
            List<float[]> rowsOut = new ArrayList<>();
            List<Integer> rowLines = new ArrayList<>();
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') line = line.substring(1); // byte order mark
                if (line.isBlank()) continue;
                List<String> fields = split(line, lineNo);
                if (columns < 0) {
                    columns = fields.size();
                    if (columns < 2) {
                        throw new CorruptDataException(name, "line " + lineNo, "found " + columns
                                + " column; a dataset needs at least one feature column and the label column");
                    }
                    names = header ? fields.stream().map(String::strip).toList() : defaultNames(columns);
                    label = labelColumn(names, lineNo);
                    if (header) continue;
                }
                if (fields.size() != columns) {
                    throw new CorruptDataException(name, "line " + lineNo, "expected " + columns + " fields"
                            + (header ? " (as the header has)" : " (as line 1 has)") + " but found " + fields.size());
                }
                float[] row = new float[columns - 1];
                int k = 0;
                for (int c = 0; c < columns; c++) {
                    String v = fields.get(c).strip();
                    if (c == label) {
                        rawLabels.add(v);
                        continue;
                    }
                    row[k++] = number(v, lineNo, names.get(c));
                }
                rowsOut.add(row);
                rowLines.add(lineNo);
            }
            if (columns < 0) throw new CorruptDataException(name, "line 1", "the file is empty");
            int n = rowsOut.size();
            float[] feats = new float[n * (columns - 1)];
            for (int i = 0; i < n; i++) System.arraycopy(rowsOut.get(i), 0, feats, i * (columns - 1), columns - 1);
            float[] targets = new float[n];
            String labelCol = names.get(label);
            List<String> classNames = null;
            if (numericTarget) {
                for (int i = 0; i < n; i++) targets[i] = number(rawLabels.get(i), rowLines.get(i), labelCol);
            } else {
                classNames = classes != null ? classes : inferClasses(rawLabels);
                for (int i = 0; i < n; i++) {
                    int cls = classNames.indexOf(rawLabels.get(i));
                    if (cls < 0) {
                        throw new CorruptDataException(name, "line " + rowLines.get(i) + ", column '" + labelCol + "'",
                                "label '" + rawLabels.get(i) + "' is not one of the classes " + classNames);
                    }
                    targets[i] = cls;
                }
            }
            List<String> featureNames = new ArrayList<>(names);
            featureNames.remove(label);
            return new CsvDataset(name, featureNames, classNames, feats, targets, n, numericTarget);
        }

        private int labelColumn(List<String> names, int lineNo) throws CorruptDataException {
            if (labelName != null) {
                int i = names.indexOf(labelName);
                if (i < 0) throw new CorruptDataException(name, "line " + lineNo, "no column named '" + labelName + "' among " + names);
                return i;
            }
            int i = labelIndex < 0 ? names.size() + labelIndex : labelIndex;
            if (i < 0 || i >= names.size()) {
                throw new CorruptDataException(name, "line " + lineNo, "label column " + labelIndex + " does not exist; the file has "
                        + names.size() + " columns");
            }
            return i;
        }

        private static List<String> defaultNames(int columns) {
            List<String> out = new ArrayList<>(columns);
            for (int c = 0; c < columns; c++) out.add("column" + c);
            return out;
        }

        private static List<String> inferClasses(List<String> labels) {
            boolean allIndices = !labels.isEmpty();
            int max = -1;
            for (String l : labels) {
                if (!l.matches("\\d{1,9}")) {
                    allIndices = false;
                    break;
                }
                max = Math.max(max, Integer.parseInt(l));
            }
            if (allIndices) {
                List<String> out = new ArrayList<>(max + 1);
                for (int c = 0; c <= max; c++) out.add(Integer.toString(c));
                return out;
            }
            return List.copyOf(new TreeSet<>(labels));
        }

        private float number(String v, int lineNo, String column) throws CorruptDataException {
            if (v.isEmpty()) throw new CorruptDataException(name, "line " + lineNo + ", column '" + column + "'", "empty value");
            try {
                return Float.parseFloat(v);
            } catch (NumberFormatException e) {
                throw new CorruptDataException(name, "line " + lineNo + ", column '" + column + "'", "'" + v + "' is not a number");
            }
        }

        /** Splits one line on the delimiter, honouring double-quoted fields. */
        private List<String> split(String line, int lineNo) throws CorruptDataException {
            List<String> out = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char ch = line.charAt(i);
                if (quoted) {
                    if (ch == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"' && field.toString().isBlank()) {
                    quoted = true;
                    field.setLength(0);
                } else if (ch == delimiter) {
                    out.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(ch);
                }
            }
            if (quoted) throw new CorruptDataException(name, "line " + lineNo, "unterminated quoted field");
            out.add(field.toString());
            return out;
        }
    }

    @Override
    public String toString() {
        return "CsvDataset(" + name + ": " + rows + " rows, " + width + " features" + (numericTarget ? "" : ", " + classes.size() + " classes") + ")";
    }
}
