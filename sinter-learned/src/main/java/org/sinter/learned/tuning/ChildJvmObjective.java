package org.sinter.learned.tuning;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An objective measured in a fresh JVM per setting, for knobs a running JVM cannot change (its
 * collector, heap layout, properties read once into static finals). The child runs {@code mainClass}
 * on this JVM's class path with the options and arguments the setting gives, and must print a line
 * {@code METRIC=VALUE}; a child that fails, prints no such line or outlives {@code timeoutSeconds}
 * is killed and reported with the tail of its output.
 */
public final class ChildJvmObjective implements Objective {
    private final String mainClass;
    private final String metric;
    private final Function<Map<String, Object>, List<String>> jvmOptions;
    private final Function<Map<String, Object>, List<String>> arguments;
    private final double timeoutSeconds;

    public ChildJvmObjective(String mainClass, String metric, Function<Map<String, Object>, List<String>> jvmOptions,
                             Function<Map<String, Object>, List<String>> arguments, double timeoutSeconds) {
        if (!(timeoutSeconds > 0)) throw new IllegalArgumentException("ChildJvmObjective: timeout must be > 0 s, got " + timeoutSeconds);
        this.mainClass = mainClass;
        this.metric = metric;
        this.jvmOptions = jvmOptions;
        this.arguments = arguments;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The command line that measures {@code knobs}. */
    public List<String> command(Map<String, Object> knobs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.addAll(jvmOptions.apply(knobs));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(arguments.apply(knobs));
        return cmd;
    }

    @Override
    public double measure(Map<String, Object> knobs) throws IOException, InterruptedException {
        List<String> cmd = command(knobs);
        Path out = Files.createTempFile("sinter-knob-trial", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor((long) Math.ceil(timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("the trial " + knobs + " ran past " + timeoutSeconds + " s and was killed; output: " + tail(out));
            }
            String prefix = metric + "=";
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                int at = line.indexOf(prefix);
                if (at >= 0 && p.exitValue() == 0) {
                    String v = line.substring(at + prefix.length()).split("\\s+")[0];
                    return Double.parseDouble(v);
                }
            }
            throw new IOException("the trial " + knobs + " exited with status " + p.exitValue() + " without printing " + prefix + "; output: " + tail(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(Path file) throws IOException {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        return s.length() <= 800 ? s : "..." + s.substring(s.length() - 800);
    }
}
