package org.sinter.rl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.sinter.nn.Module;

/** For the resume tests: a progress callback that saves the training state at every report and stops the run, as a kill would, at the k-th; weights compared bit for bit. */
public final class ResumeChecks {
    private ResumeChecks() {}

    /** Thrown from the progress callback to stop a run after its state was saved. */
    public static final class Killed extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Saves a state. */
    public interface Save {
        void save() throws IOException;
    }

    /** Saves at each report and throws {@link Killed} after saving at report {@code k}. */
    public static <P> Consumer<P> saveThenKillAt(int k, Save save) {
        int[] reports = {0};
        return p -> {
            try {
                save.save();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (++reports[0] == k) throw new Killed();
        };
    }

    /** Every tensor of the two state dicts equal bit for bit. */
    public static void assertSameWeights(Module a, Module b) {
        a.stateDict().forEach((k, v) -> org.junit.jupiter.api.Assertions.assertArrayEquals(v.contiguous().toFloatArray(),
                b.stateDict().get(k).contiguous().toFloatArray(), k));
    }
}
