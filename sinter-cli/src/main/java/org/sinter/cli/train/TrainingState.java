package org.sinter.cli.train;

import java.nio.file.Path;
import java.util.Map;
import org.sinter.nn.io.Checkpoint;

/**
 * The run-position fields of a checkpoint ({@code epoch}, {@code step}, {@code extra.*}), parsed
 * and range-checked when the checkpoint is loaded, so that damage is reported naming the file and
 * the field instead of surfacing later as a parse error, a wrapped-around epoch or a crash mid-run.
 */
record TrainingState(Path file, Checkpoint checkpoint, int epoch, long step, int batchInEpoch, long[] loaderState, double[] running,
                     Map<String, String> extra) {
    /** The hyper-parameters a run records in its checkpoints (absent in checkpoints of older versions). */
    static final String BATCH_SIZE = "batch_size", OPTIMIZER = "optimizer", LR = "lr", GAMMA = "gamma", DATASET = "dataset";

    static TrainingState parse(Path file, Checkpoint c) {
        if (c.epoch() > Options.MAX_EPOCHS) throw bad(file, "epoch", Long.toString(c.epoch()), "an epoch in [0, " + Options.MAX_EPOCHS + "]");
        Map<String, String> x = c.extra();
        int batch = (int) parseLong(file, x, "batch_in_epoch", "0", 0, Integer.MAX_VALUE);
        if (batch > c.step()) throw bad(file, "extra.batch_in_epoch", Integer.toString(batch), "at most the step count " + c.step());
        String ls = x.get("loader_state");
        if (ls == null || ls.isEmpty()) throw bad(file, "extra.loader_state", "missing", "5 comma-separated integers");
        String[] f = ls.split(",", -1);
        if (f.length != 5) throw bad(file, "extra.loader_state", ls, "5 comma-separated integers");
        long[] loader = new long[5];
        for (int i = 0; i < 5; i++) loader[i] = parseLong(file, "extra.loader_state", ls, f[i]);
        String rs = x.getOrDefault("running", "0,0,0");
        String[] r = rs.split(",", -1);
        if (r.length != 3) throw bad(file, "extra.running", rs, "3 comma-separated numbers (loss sum, correct, count)");
        double[] running = new double[3];
        for (int i = 0; i < 3; i++) {
            try {
                running[i] = Double.parseDouble(r[i]);
            } catch (NumberFormatException e) {
                throw bad(file, "extra.running", rs, "3 comma-separated numbers (loss sum, correct, count)");
            }
        }
        if (!(Double.isFinite(running[0]) && running[1] >= 0 && running[2] >= running[1] && Double.isFinite(running[2]))) {
            throw bad(file, "extra.running", rs, "a finite loss sum and 0 <= correct <= count");
        }
        if (c.rngState() == null || c.rngState().length != 5) throw bad(file, "rng", "missing or malformed", "5 int64 values");
        return new TrainingState(file, c, (int) c.epoch(), c.step(), batch, loader, running, x);
    }

    /** An integer field of {@code extra} in [lo, hi], or absent (then {@code dflt}). */
    static long parseLong(Path file, Map<String, String> extra, String key, String dflt, long lo, long hi) {
        String s = extra.getOrDefault(key, dflt);
        long v = parseLong(file, "extra." + key, s, s);
        if (v < lo || v > hi) throw bad(file, "extra." + key, s, "an integer in [" + lo + ", " + hi + "]");
        return v;
    }

    private static long parseLong(Path file, String field, String whole, String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw bad(file, field, whole, "integers");
        }
    }

    /** A recorded number of {@code extra}, or null when the checkpoint predates it. */
    Double recordedDouble(String key) {
        String s = extra.get(key);
        if (s == null) return null;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad(file, "extra." + key, s, "a number");
        }
    }

    static IllegalArgumentException bad(Path file, String field, String value, String expected) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return new IllegalArgumentException("checkpoint " + file + ": field \"" + field + "\" is " + shown + ", expected " + expected);
    }
}
