package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sinter.cluster.NodeList;

/**
 * The machines of Alibaba's GPU trace v2023 ({@code openb_node_list_gpu_node.csv},
 * {@code openb_node_list_all_node.csv}): header {@code sn, cpu_milli, memory_mib, gpu, model}
 * (columns by name, any order), one node per line: its name, CPU in milli-cores, memory in MiB, GPU
 * count and GPU model. Nodes without GPUs are skipped and counted (the simulator schedules GPU
 * pods; the pod list's CPU-only pods are skipped likewise). Malformed rows name their line.
 */
public final class AlibabaNodeList {
    static final List<String> COLUMNS = List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");

    private AlibabaNodeList() {}

    /** The GPU nodes, in file order, and how many nodes without GPUs were skipped. */
    public record Loaded(NodeList nodes, int withoutGpus) {}

    public static Loaded read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String header = in.readLine();
            if (header == null) throw new TraceFormatException(file, 1, "empty file: expected the header " + String.join(",", COLUMNS));
            String[] names = header.trim().split(",", -1);
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < names.length; i++) at.put(names[i].trim(), i);
            for (String c : COLUMNS) {
                if (!at.containsKey(c)) throw new TraceFormatException(file, 1, "missing column '" + c + "' (the v2023 node list has " + String.join(",", COLUMNS) + ")");
            }
            List<String> sn = new ArrayList<>(), models = new ArrayList<>();
            List<Integer> gpus = new ArrayList<>();
            List<Double> cpus = new ArrayList<>(), memory = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            int withoutGpus = 0;
            String text;
            for (int line = 2; (text = in.readLine()) != null; line++) {
                if (text.isBlank()) continue;
                String[] f = text.split(",", -1);
                if (f.length != names.length) throw new TraceFormatException(file, line, "expected " + names.length + " comma-separated fields as in the header, got " + f.length);
                String name = f[at.get("sn")].trim();
                if (name.isEmpty()) throw new TraceFormatException(file, line, "empty sn (node name)");
                if (!seen.add(name)) throw new TraceFormatException(file, line, "node " + name + " is listed twice");
                long g = Parsing.parseLong(file, line, "gpu", f[at.get("gpu")]);
                double cpuMilli = Parsing.parseDouble(file, line, "cpu_milli", f[at.get("cpu_milli")]);
                double memoryMib = Parsing.parseDouble(file, line, "memory_mib", f[at.get("memory_mib")]);
                if (g < 0) throw new TraceFormatException(file, line, "gpu must be >= 0, got " + g);
                if (!(cpuMilli > 0) || !(memoryMib > 0)) throw new TraceFormatException(file, line, "cpu_milli and memory_mib must be > 0, got " + cpuMilli + " and " + memoryMib);
                if (g == 0) { withoutGpus++; continue; }
                String model = f[at.get("model")].trim();
                if (model.isEmpty() || model.equalsIgnoreCase("nan")) throw new TraceFormatException(file, line, "a node with " + g + " GPUs needs a GPU model, got '" + model + "'");
                sn.add(name);
                models.add(model);
                gpus.add((int) g);
                cpus.add(cpuMilli / 1000);
                memory.add(memoryMib / 1024);
            }
            if (sn.isEmpty()) throw new TraceFormatException(file, "no node with GPUs (" + withoutGpus + " without)");
            NodeList list = new NodeList(sn, gpus.stream().mapToInt(Integer::intValue).toArray(), cpus.stream().mapToDouble(Double::doubleValue).toArray(),
                    memory.stream().mapToDouble(Double::doubleValue).toArray(), models);
            return new Loaded(list, withoutGpus);
        }
    }
}
