package org.sinter.nn.io;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;

/**
 * The child process of {@link CheckpointKillTest}: resumes from the newest checkpoint in a
 * directory (if any), then writes checkpoints in a loop, printing {@code saved <step>} after each,
 * until it is killed. Tensor sizes vary so writes take different times.
 *
 * <p>Usage: {@code CheckpointWriterMain <dir>}
 */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {}

    public static void main(String[] args) throws Exception {
        CheckpointDirectory cd = new CheckpointDirectory(Path.of(args[0]));
        Generator g = new Generator(2024);
        long step = 0;
        Optional<Checkpoint> resumed = cd.loadLatest();
        if (resumed.isPresent()) {
            step = resumed.get().step();
            g.setState(resumed.get().rngState());
        }
        System.out.println("resumed " + step);
        System.out.flush();
        while (true) {
            step++;
            int n = 50_000 + g.random().nextInt(250_000);
            Map<String, Tensor> model = new LinkedHashMap<>();
            model.put("layer.weight", g.randn(DType.FLOAT32, n));
            model.put("layer.bias", g.randn(DType.FLOAT64, 1000));
            model.put("embed", g.randn(DType.FLOAT32, 300, 100).to(DType.BFLOAT16));
            model.put("mask", g.rand(DType.FLOAT32, 999).gt(0.5));
            FakeOptimizer opt = new FakeOptimizer(g.randn(DType.FLOAT32, n / 2), 0.1, step);
            cd.save(Checkpoint.builder().model(model).optimizer(opt).rng(g).epoch(step / 10).step(step).build());
            System.out.println("saved " + step);
            System.out.flush();
        }
    }
}
