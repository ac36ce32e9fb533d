package org.sinter.cluster.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
            CsvColumns columns = new CsvColumns(in, file, COLUMNS, "the v2023 node list");
            List<String> sn = new ArrayList<>(), models = new ArrayList<>();
            List<Integer> gpus = new ArrayList<>();
            List<Double> cpus = new ArrayList<>(), memory = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            int withoutGpus = 0;
            String text;
            for (int line = 2; (text = in.readLine()) != null; line++) {
                if (text.isBlank()) continue;
                String[] f = columns.split(line, text);
                String name = columns.get(f, "sn");
                if (name.isEmpty()) throw new TraceFormatException(file, line, "empty sn (node name)");
                if (!seen.add(name)) throw new TraceFormatException(file, line, "node " + name + " is listed twice");
                long g = Parsing.parseLong(file, line, "gpu", columns.get(f, "gpu"));
                double cpuMilli = Parsing.parseDouble(file, line, "cpu_milli", columns.get(f, "cpu_milli"));
                double memoryMib = Parsing.parseDouble(file, line, "memory_mib", columns.get(f, "memory_mib"));
                if (g < 0) throw new TraceFormatException(file, line, "gpu must be >= 0, got " + g);
                if (!(cpuMilli > 0) || !(memoryMib > 0)) throw new TraceFormatException(file, line, "cpu_milli and memory_mib must be > 0, got " + cpuMilli + " and " + memoryMib);
                if (g == 0) { withoutGpus++; continue; }
                String model = columns.get(f, "model");
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
