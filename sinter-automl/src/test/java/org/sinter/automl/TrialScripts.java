package org.sinter.automl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Trial programs for the process manager's tests, written as Python scripts (any language will do). */
final class TrialScripts {
    private TrialScripts() {}

    /**
     * Reads x and y from SINTER_PARAMETERS, reports {@code steps} intermediate results
     * {@code f · (1 + 1/(step+1))} {@code sleepMs} apart, then {@code f = (x - 0.3)² + (log10 y + 2)²};
     * writes {@code start <time>} / {@code end <time>} files into {@code $MARKS/<trial>-<pid>} when MARKS is set.
     */
    static Path quadratic(Path dir, int steps, int sleepMs) throws IOException {
        return write(dir, "quadratic.py", """
                import json, math, os, sys, time
                p = json.loads(os.environ["SINTER_PARAMETERS"])
                marks = os.environ.get("MARKS")
                tag = f"{os.environ['SINTER_TRIAL_ID']}-{os.getpid()}"
                if marks:
                    open(os.path.join(marks, tag + ".start"), "w").write(repr(time.time()))
                f = (p["x"] - 0.3) ** 2 + (math.log10(p["y"]) + 2) ** 2
                for step in range(%d):
                    time.sleep(%f)
                    print("SINTER_INTERMEDIATE", f * (1 + 1 / (step + 1)), flush=True)
                print("some log line", file=sys.stderr)
                print("SINTER_RESULT", json.dumps({"default": f, "other": 1}), flush=True)
                if marks:
                    open(os.path.join(marks, tag + ".end"), "w").write(repr(time.time()))
                """.formatted(steps, sleepMs / 1000.0));
    }

    static double quadratic(Map<String, Object> p) {
        double x = ((Number) p.get("x")).doubleValue(), y = ((Number) p.get("y")).doubleValue();
        return (x - 0.3) * (x - 0.3) + Math.pow(Math.log10(y) + 2, 2);
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    static List<String> python(Path script) {
        return List.of("/usr/bin/python3", script.toString());
    }
}
