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

    /**
     * A multi-fidelity trial that "trains" epoch by epoch with a checkpoint: reads its budget and checkpoint
     * directory from the manager, resumes from {@code state.json} there (the last epoch trained), trains the epochs
     * up to the budget ({@code sleepMs} each), saving the checkpoint atomically and reporting
     * {@code loss = quadratic + 1/epoch} after each one, then reports the loss at the budget. Every epoch it trains
     * is appended to {@code epochs.log} in the checkpoint directory. A checkpoint beyond the budget is an error.
     */
    static Path learningCurve(Path dir, int sleepMs) throws IOException {
        return write(dir, "curve.py", """
                import json, math, os, sys, time
                p = json.loads(os.environ["SINTER_PARAMETERS"])
                budget = int(os.environ["SINTER_BUDGET"])
                ckdir = os.environ["SINTER_CHECKPOINT_DIR"]
                ck = os.path.join(ckdir, "state.json")
                epoch = json.load(open(ck))["epoch"] if os.path.exists(ck) else 0
                if epoch > budget:
                    sys.exit(f"checkpoint at epoch {epoch} is beyond the budget {budget}")
                print("resuming from epoch", epoch, "config", os.environ["SINTER_CONFIG_ID"], "rung", os.environ["SINTER_RUNG"])
                f = (p["x"] - 0.3) ** 2 + (math.log10(p["y"]) + 2) ** 2
                for e in range(epoch + 1, budget + 1):
                    time.sleep(%f)
                    with open(ck + ".tmp", "w") as out:
                        json.dump({"epoch": e}, out)
                        out.flush()
                        os.fsync(out.fileno())
                    os.replace(ck + ".tmp", ck)
                    with open(os.path.join(ckdir, "epochs.log"), "a") as log:
                        log.write(f"{e}\\n")
                    print("SINTER_INTERMEDIATE", f + 1 / e, flush=True)
                print("SINTER_RESULT", f + 1 / budget, flush=True)
                """.formatted(sleepMs / 1000.0));
    }

    /** The loss {@link #learningCurve}'s trial reports at {@code budget}. */
    static double learningCurve(Map<String, Object> p, double budget) {
        return quadratic(p) + 1 / budget;
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
