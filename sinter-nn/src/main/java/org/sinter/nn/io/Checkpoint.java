package org.sinter.nn.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * The full state of a training run in one safetensors file: model weights, optimizer and
 * scheduler state, the random generator's exact position, epoch and step, and free-form strings.
 * Resuming from it continues the run as if it had never stopped.
 *
 * <p>File layout (a plain safetensors file, so any safetensors tool can inspect it):
 * <ul>
 *   <li>tensors {@code model/<key>}, {@code optimizer/<key>}, {@code scheduler/<key>}, and
 *       {@code rng} (int64 [5], {@link Generator#state()}) when a generator was captured;</li>
 *   <li>metadata {@code sinter.format = checkpoint/1}, {@code epoch}, {@code step},
 *       {@code optimizer.values} and {@code scheduler.values} (JSON objects), {@code extra.<key>},
 *       and {@code checksum.crc32c} over all of the above (see {@link CheckpointChecksum}).</li>
 * </ul>
 * {@link #save} is atomic; {@link #load} checks the format and the checksum. For rotation
 * ({@code last}/{@code prev}) use {@link CheckpointDirectory}.
 *
 * <pre>{@code
 * Checkpoint.builder().model(model.stateDict()).optimizer(opt).scheduler(sched)
 *         .rng(Generator.global()).epoch(epoch).step(step).build().save(path);
 * Checkpoint c = Checkpoint.load(path);
 * model.loadStateDict(c.modelState(), true);
 * c.restore(opt, sched, Generator.global());
 * }</pre>
 */
public final class Checkpoint {
    static final String FORMAT_KEY = "sinter.format";
    static final String FORMAT = "checkpoint/1";
    private static final String MODEL = "model/", OPTIMIZER = "optimizer/", SCHEDULER = "scheduler/", RNG = "rng";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Tensor> modelState;
    private final StateSnapshot optimizer;
    private final StateSnapshot scheduler;
    private final long[] rngState;
    private final long epoch;
    private final long step;
    private final Map<String, String> extra;

    private Checkpoint(Map<String, Tensor> modelState, StateSnapshot optimizer, StateSnapshot scheduler, long[] rngState,
                       long epoch, long step, Map<String, String> extra) {
        this.modelState = Collections.unmodifiableMap(new LinkedHashMap<>(modelState));
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        this.rngState = rngState == null ? null : rngState.clone();
        this.epoch = epoch;
        this.step = step;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model's state dict (keys without the {@code model/} prefix). */
    public Map<String, Tensor> modelState() { return modelState; }

    public StateSnapshot optimizerState() { return optimizer; }

    public StateSnapshot schedulerState() { return scheduler; }

    /** The captured generator state, or null when none was captured. */
    public long[] rngState() { return rngState == null ? null : rngState.clone(); }

    public long epoch() { return epoch; }

    public long step() { return step; }

    /** Free-form strings saved with the checkpoint (run id, config hash, best metric...). */
    public Map<String, String> extra() { return extra; }

    /** Restores optimizer, scheduler and generator state; null arguments are skipped. */
    public void restore(Stateful optimizer, Stateful scheduler, Generator rng) {
        if (optimizer != null) this.optimizer.restoreInto(optimizer);
        if (scheduler != null) this.scheduler.restoreInto(scheduler);
        if (rng != null) {
            if (rngState == null) throw new IllegalStateException("restore: this checkpoint holds no generator state");
            rng.setState(rngState);
        }
    }

    /** Writes the checkpoint to {@code file} atomically (the previous file stays whole until the new one is). */
    public void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        modelState.forEach((k, v) -> tensors.put(MODEL + k, v));
        optimizer.tensors().forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        scheduler.tensors().forEach((k, v) -> tensors.put(SCHEDULER + k, v));
        if (rngState != null) tensors.put(RNG, Tensor.of(rngState));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(FORMAT_KEY, FORMAT);
        meta.put("epoch", Long.toString(epoch));
        meta.put("step", Long.toString(step));
        meta.put("optimizer.values", toJson(optimizer.values()));
        meta.put("scheduler.values", toJson(scheduler.values()));
        extra.forEach((k, v) -> meta.put("extra." + k, v));
        meta.put(CheckpointChecksum.KEY, CheckpointChecksum.compute(tensors, meta));
        SafeTensors.save(tensors, file, meta);
    }

    /** Reads a checkpoint, checking that it is one and that its checksum matches. */
    public static Checkpoint load(Path file) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get(FORMAT_KEY))) {
            throw new SafeTensorsException(file, "not a Sinter checkpoint (metadata \"" + FORMAT_KEY + "\" is "
                    + (meta.containsKey(FORMAT_KEY) ? "\"" + meta.get(FORMAT_KEY) + "\"" : "missing") + ", expected \"" + FORMAT + "\")");
        }
        String want = meta.get(CheckpointChecksum.KEY);
        String got = CheckpointChecksum.compute(c.tensors(), meta);
        if (!got.equals(want)) {
            throw new SafeTensorsException(file, "checkpoint checksum mismatch: metadata says " + want + ", content hashes to "
                    + got + " (file corrupted after it was written)");
        }
        Map<String, Tensor> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>(), sched = new LinkedHashMap<>();
        long[] rng = null;
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            String k = e.getKey();
            if (k.startsWith(MODEL)) model.put(k.substring(MODEL.length()), e.getValue());
            else if (k.startsWith(OPTIMIZER)) opt.put(k.substring(OPTIMIZER.length()), e.getValue());
            else if (k.startsWith(SCHEDULER)) sched.put(k.substring(SCHEDULER.length()), e.getValue());
            else if (k.equals(RNG)) rng = e.getValue().toLongArray();
            else throw new SafeTensorsException(file, "tensor \"" + k + "\" belongs to no checkpoint section");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        meta.forEach((k, v) -> { if (k.startsWith("extra.")) extra.put(k.substring(6), v); });
        return new Checkpoint(model,
                new StateSnapshot(opt, fromJson(meta.get("optimizer.values"), file, "optimizer.values")),
                new StateSnapshot(sched, fromJson(meta.get("scheduler.values"), file, "scheduler.values")),
                rng, parseLong(meta, "epoch", file), parseLong(meta, "step", file), extra);
    }

    private static long parseLong(Map<String, String> meta, String key, Path file) throws SafeTensorsException {
        long v;
        try {
            v = Long.parseLong(meta.get(key));
        } catch (NumberFormatException e) {
            v = -1;
        }
        // Epochs and steps count up from 0: a negative value is damage, not a position in a run.
        if (v < 0) {
            throw new SafeTensorsException(file, "checkpoint metadata \"" + key + "\" is " + meta.get(key)
                    + ", expected a non-negative integer");
        }
        return v;
    }

    private static String toJson(Map<String, Object> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("checkpoint: state values are not JSON-able: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> fromJson(String json, Path file, String key) throws SafeTensorsException {
        if (json == null) return Map.of();
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "checkpoint metadata \"" + key + "\" is not a JSON object: " + e.getOriginalMessage(), e);
        }
    }

    /** Collects the parts of a checkpoint; everything is optional. */
    public static final class Builder {
        private Map<String, Tensor> model = Map.of();
        private StateSnapshot optimizer = StateSnapshot.EMPTY, scheduler = StateSnapshot.EMPTY;
        private long[] rng;
        private long epoch, step;
        private final Map<String, String> extra = new LinkedHashMap<>();

        private Builder() {}

        /** The model's {@code stateDict()}. */
        public Builder model(Map<String, Tensor> stateDict) { this.model = stateDict; return this; }

        public Builder optimizer(Stateful s) { this.optimizer = StateSnapshot.of(s); return this; }

        public Builder optimizer(StateSnapshot s) { this.optimizer = s; return this; }

        public Builder scheduler(Stateful s) { this.scheduler = StateSnapshot.of(s); return this; }

        public Builder scheduler(StateSnapshot s) { this.scheduler = s; return this; }

        /** Captures the generator's exact state now. */
        public Builder rng(Generator g) { this.rng = g == null ? null : g.state(); return this; }

        public Builder rngState(long[] state) { this.rng = state == null ? null : state.clone(); return this; }

        public Builder epoch(long epoch) { this.epoch = epoch; return this; }

        public Builder step(long step) { this.step = step; return this; }

        public Builder extra(String key, String value) { extra.put(key, value); return this; }

        public Checkpoint build() {
            return new Checkpoint(model, optimizer, scheduler, rng, epoch, step, extra);
        }
    }
}
