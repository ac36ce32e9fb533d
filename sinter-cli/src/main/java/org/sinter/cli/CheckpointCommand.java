package org.sinter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.sinter.Tensor;
import org.sinter.cli.io.InputFiles;
import org.sinter.nn.io.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sinter checkpoint FILE...}: verifies checkpoints (format, checksum) and shows what they hold. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true,
        description = "Verify checkpoint files (format and checksum) and show their epoch, step and model. Exit 1 if any fails"
                + " or a directory holds none.")
final class CheckpointCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "checkpoint files or checkpoint directories")
    Path[] files;

    @Override
    public Integer call() {
        int bad = 0;
        for (Path p : files) {
            if (Files.isDirectory(p)) {
                List<Path> found;
                try (var s = Files.list(p)) {
                    found = s.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                } catch (java.io.IOException e) {
                    System.out.println(p + ": FAILED — cannot list: " + Errors.describe(e));
                    bad++;
                    continue;
                }
                // Verifying nothing is not a success: the user expected checkpoints here.
                if (found.isEmpty()) {
                    System.out.println(p + ": FAILED — no checkpoints found in " + p + " (no *.safetensors files)");
                    bad++;
                }
                for (Path f : found) bad += check(f);
            } else {
                bad += check(p);
            }
        }
        return bad == 0 ? 0 : 1;
    }

    private static int check(Path f) {
        try {
            InputFiles.regularFile(f, "checkpoint", InputFiles.MODEL_LIMIT);
            Checkpoint c = Checkpoint.load(f);
            long params = c.modelState().values().stream().mapToLong(Tensor::numel).sum();
            System.out.printf("%s: ok — model %s, epoch %d, step %d, %,d model values%n", f,
                    c.extra().getOrDefault("model", "?"), c.epoch(), c.step(), params);
            return 0;
        } catch (Exception e) {
            // The checked-file messages start with the path already.
            System.out.println(f + ": FAILED — " + Errors.describe(e).replace("checkpoint " + f + ": ", "").replace(f + ": ", ""));
            return 1;
        }
    }
}
