package org.sinter.compress.prune;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.Tensor;

/** Reads torch_prune.txt (tools/fixtures/gen_prune.py) and torch_distill.txt (gen_distill.py): cases of named float tensors. */
public final class TorchPruneFixtures {
    private TorchPruneFixtures() {}

    static Map<String, Map<String, Tensor>> load() throws IOException {
        return load(TorchPruneFixtures.class, "torch_prune.txt");
    }

    /** The cases of a fixture file in this format, a resource beside {@code owner}. */
    public static Map<String, Map<String, Tensor>> load(Class<?> owner, String resource) throws IOException {
        Map<String, Map<String, Tensor>> cases = new LinkedHashMap<>();
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) throw new IOException(resource + " not found beside " + owner.getName());
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, Tensor> current = null;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) continue;
                if (line.startsWith("case ")) {
                    current = new LinkedHashMap<>();
                    cases.put(line.substring(5).trim(), current);
                } else if (line.startsWith("tensor ") && current != null) {
                    String[] head = line.substring(7, line.indexOf(':')).trim().split(" ");
                    String[] dims = head[1].split(",");
                    int[] shape = new int[dims.length];
                    for (int i = 0; i < dims.length; i++) shape[i] = Integer.parseInt(dims[i]);
                    String[] vals = line.substring(line.indexOf(':') + 1).trim().split(" ");
                    float[] data = new float[vals.length];
                    for (int i = 0; i < vals.length; i++) data[i] = Float.parseFloat(vals[i]);
                    current.put(head[0], Tensor.of(data, shape));
                } else {
                    throw new IOException(resource + ": unexpected line: " + line);
                }
            }
        }
        return cases;
    }
}
