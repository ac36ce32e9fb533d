package org.sinter.privacy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.Tensor;

/** Reads the text fixtures of tools/fixtures/gen_privacy.py: "case NAME", then "tensor KEY shape: values" lines (float64). */
public final class TorchFixtures {
    private TorchFixtures() {}

    /** One case: its tensors by key, float64. */
    public record Case(String name, Map<String, double[]> values, Map<String, int[]> shapes) {
        public Tensor tensor(String key) {
            if (!values.containsKey(key)) throw new IllegalArgumentException(name + ": no tensor " + key);
            return Tensor.of(values.get(key), shapes.get(key));
        }
    }

    /** The cases of a resource next to {@code anchor}, in file order. */
    public static Map<String, Case> load(Class<?> anchor, String resource) throws IOException {
        Map<String, Case> cases = new LinkedHashMap<>();
        var in = anchor.getResourceAsStream(resource);
        if (in == null) throw new IOException(resource + " is missing: run tools/fixtures/gen_privacy.py");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Case current = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("case ")) {
                    current = new Case(line.substring(5), new LinkedHashMap<>(), new LinkedHashMap<>());
                    cases.put(current.name(), current);
                } else if (line.startsWith("tensor ")) {
                    String[] head = line.substring(7, line.indexOf(':')).split(" ");
                    String[] vals = line.substring(line.indexOf(':') + 1).trim().split(" ");
                    double[] v = new double[vals.length];
                    for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(vals[i]);
                    String[] dims = head[1].split(",");
                    int[] shape = new int[dims.length];
                    for (int i = 0; i < dims.length; i++) shape[i] = Integer.parseInt(dims[i]);
                    current.values().put(head[0], v);
                    current.shapes().put(head[0], shape);
                }
            }
        }
        return cases;
    }
}
