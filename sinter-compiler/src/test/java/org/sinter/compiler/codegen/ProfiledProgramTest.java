package org.sinter.compiler.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.compiler.CompiledFunction;
import org.sinter.compiler.Compiler;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Flatten;
import org.sinter.nn.Linear;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.profiler.Profiler;
import org.sinter.profiler.ProfilerEvent;

/** A compiled program run under the profiler names its own steps (convolution, pooling, GEMM), once per run, and computes the same result. */
class ProfiledProgramTest {
    @Test
    void compiledStepsAppearInTheProfile() {
        Sinter.manualSeed(5);
        Module m = new Sequential(new Conv2d(3, 16, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 8 * 8, 10)).eval();
        Tensor x = Tensor.randn(2, 3, 16, 16);
        try (var _ = Sinter.noGrad()) {
            CompiledFunction f = Compiler.compile(m, CompileOptions.defaults().withFrozenParameters());
            float[] plain = f.call(x)[0].toFloatArray();
            Profiler prof = Profiler.start();
            float[] profiled;
            try {
                profiled = f.call(x)[0].toFloatArray();
                profiled = f.call(x)[0].toFloatArray();
            } finally {
                prof.close();
            }
            assertArrayEquals(plain, profiled);
            List<String> names = prof.events().stream().map(ProfilerEvent::name).toList();
            assertEquals(2, names.stream().filter(n -> n.startsWith("compiled.Conv [2, 16, 16, 16]")).count(), names.toString());
            assertEquals(2, names.stream().filter(n -> n.startsWith("compiled.MaxPool [2, 16, 8, 8]")).count(), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("compiled.Gemm")), names.toString());
            assertTrue(!Profiler.isRecording());
        }
    }
}
