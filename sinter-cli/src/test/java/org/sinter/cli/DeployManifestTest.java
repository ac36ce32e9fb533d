package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/'s container recipe and KServe manifests agree with {@code ./sinter serve}: their arguments parse with
 * the real command's options (picocli, the same parser as the CLI), and the ports they expose, probe and name are
 * the ports those arguments bind. No YAML library is on the classpath, so the manifests, written in a plain block
 * style, are read line by line; a manifest outside that style fails here rather than being misread.
 */
class DeployManifestTest {
    private static final Path DEPLOY = Path.of("..", "deploy");

    /** Parses {@code args} (after the "serve" subcommand name) with ServeCommand's own options. */
    private static ServeCommand serve(List<String> args) {
        assertEquals("serve", args.getFirst(), "the first argument must be the serve subcommand: " + args);
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        return c;
    }

    /** The "- item" lines of the block list under {@code key:} (indentation decides where it ends). */
    private static List<String> list(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.strip().equals(key + ":")) continue;
            int indent = line.indexOf(key);
            List<String> items = new ArrayList<>();
            for (int j = i + 1; j < lines.size(); j++) {
                String l = lines.get(j);
                if (l.isBlank()) continue;
                int li = l.length() - l.stripLeading().length();
                if (li < indent || (li == indent && !l.stripLeading().startsWith("- "))) break;
                if (!l.stripLeading().startsWith("- ")) throw new AssertionError(key + ": expected a list of scalars, got '" + l + "'");
                items.add(unquote(l.stripLeading().substring(2).strip()));
            }
            return items;
        }
        throw new AssertionError("no '" + key + ":' list");
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static List<Integer> ints(List<String> lines, String key) {
        Pattern p = Pattern.compile("^\\s*(?:- )?" + key + ":\\s*\"?(\\d+)\"?\\s*$");
        List<Integer> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.matches()) out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    private static String scalar(List<String> lines, String key) {
        Pattern p = Pattern.compile("^\\s*(?:- )?" + key + ":\\s*(\\S+)\\s*$");
        List<String> found = lines.stream().map(p::matcher).filter(Matcher::matches).map(m -> unquote(m.group(1))).toList();
        assertEquals(1, found.size(), "'" + key + ":' should appear once, found " + found);
        return found.getFirst();
    }

    private static List<String> read(String file) throws IOException {
        return Files.readAllLines(DEPLOY.resolve(file)).stream().filter(l -> !l.stripLeading().startsWith("#")).toList();
    }

    @Test
    void servingRuntimeArgumentsAndPortsAgreeWithServe() throws IOException {
        List<String> rt = read("kserve/servingruntime.yaml");
        assertEquals("ServingRuntime", scalar(rt, "kind"));
        assertEquals(List.of("v2", "grpc-v2"), list(rt, "protocolVersions"));
        ServeCommand serve = serve(list(rt, "args"));
        assertEquals(Path.of("/mnt/models"), serve.repository, "KServe mounts the model at /mnt/models");
        assertEquals("0.0.0.0", serve.host, "in a pod the server must bind all interfaces");
        assertEquals(List.of(serve.port, serve.grpcPort), ints(rt, "containerPort"), "containerPorts vs --http-port/--grpc-port");
        assertEquals(List.of(serve.port, serve.port), ints(rt, "port"), "the probes must hit the HTTP port");
        // KServe tells the protocols apart by the port names: http1 for HTTP/1.1, h2c for plaintext gRPC.
        int ports = rt.indexOf("      ports:");
        assertTrue(ports > 0, "no ports: block in the container");
        assertEquals(List.of("http1", "h2c"), rt.subList(ports, rt.size()).stream().map(String::strip).filter(l -> l.startsWith("name:"))
                .map(l -> l.substring(5).strip()).toList());
    }

    @Test
    void inferenceServiceUsesTheRuntime() throws IOException {
        List<String> rt = read("kserve/servingruntime.yaml");
        List<String> isvc = read("kserve/inferenceservice.yaml");
        assertEquals("InferenceService", scalar(isvc, "kind"));
        assertEquals(scalar(rt.subList(0, rt.indexOf("spec:")), "name"), scalar(isvc, "runtime"));
        assertEquals("v2", scalar(isvc, "protocolVersion"));
        assertTrue(rt.contains("    - name: sinter"), "the runtime must support the model format the service names");
        assertEquals("sinter", scalar(isvc.subList(isvc.indexOf("      modelFormat:"), isvc.size()), "name"));
    }

    @Test
    void dockerfileRunsTheShadedJarWithServesOptions() throws IOException {
        List<String> lines = read("Dockerfile");
        ObjectMapper json = new ObjectMapper();
        String from = lines.stream().filter(l -> l.startsWith("FROM ")).findFirst().orElseThrow();
        assertTrue(from.matches("FROM \\S+:25\\S*"), "a JDK 25 base image: " + from);
        String copy = lines.stream().filter(l -> l.startsWith("COPY ")).findFirst().orElseThrow();
        String[] parts = copy.split("\\s+");
        assertEquals("sinter-cli/target/sinter.jar", parts[1], "the jar the ./sinter launcher runs");
        List<String> entry = Arrays.asList(json.readValue(line(lines, "ENTRYPOINT "), String[].class));
        assertEquals(parts[2], entry.getLast());
        assertEquals("-jar", entry.get(entry.size() - 2));
        assertTrue(entry.containsAll(List.of("--add-modules", "jdk.incubator.vector")), "the kernels need the Vector API: " + entry);
        ServeCommand serve = serve(Arrays.asList(json.readValue(line(lines, "CMD "), String[].class)));
        assertEquals("0.0.0.0", serve.host);
        Set<Integer> exposed = Set.copyOf(Arrays.stream(line(lines, "EXPOSE ").split("\\s+")).map(Integer::valueOf).toList());
        assertEquals(Set.of(serve.port, serve.grpcPort), exposed, "EXPOSE vs --http-port/--grpc-port");
    }

    private static String line(List<String> lines, String instruction) {
        return lines.stream().filter(l -> l.startsWith(instruction)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + instruction.strip() + " in the Dockerfile")).substring(instruction.length());
    }
}
