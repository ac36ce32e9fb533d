// Writes damaged variants of a run's last checkpoint, each a valid safetensors file with a correct
// checksum (so only the training-state validation can catch it), into <dest>/<case>/checkpoint/.
// Usage: java --source 25 -cp sinter.jar CraftCheckpoints.java RUN_DIR DEST
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.sinter.Tensor;
import org.sinter.nn.io.Checkpoint;
import org.sinter.nn.io.StateSnapshot;

public class CraftCheckpoints {
    static Checkpoint good;

    static void write(Path dest, String name, Consumer<Checkpoint.Builder> change, Map<String, Tensor> optTensors) throws Exception {
        Checkpoint.Builder b = Checkpoint.builder().model(good.modelState()).rngState(good.rngState()).epoch(good.epoch())
                .step(good.step()).scheduler(good.schedulerState())
                .optimizer(new StateSnapshot(optTensors != null ? optTensors : good.optimizerState().tensors(), good.optimizerState().values()));
        good.extra().forEach(b::extra);
        change.accept(b);
        Path dir = dest.resolve(name).resolve("checkpoint");
        Files.createDirectories(dir);
        b.build().save(dir.resolve("last.safetensors"));
    }

    public static void main(String[] args) throws Exception {
        good = Checkpoint.load(Path.of(args[0], "checkpoint", "last.safetensors"));
        Path dest = Path.of(args[1]);
        write(dest, "abc", b -> b.extra("batch_in_epoch", "abc"), null);
        write(dest, "short-loader", b -> b.extra("loader_state", "1,2"), null);
        write(dest, "epoch-2p40", b -> b.epoch(1L << 40), null);
        Map<String, Tensor> missing = new LinkedHashMap<>(good.optimizerState().tensors());
        missing.remove("state.1.exp_avg_sq");
        write(dest, "missing-opt", b -> {}, missing);
        Map<String, Tensor> shaped = new LinkedHashMap<>(good.optimizerState().tensors());
        shaped.put("state.0.exp_avg", Tensor.zeros(1));
        write(dest, "shape-opt", b -> {}, shaped);
    }
}
