package org.sinter.reference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIf;
import org.sinter.Device;
import org.sinter.cuda.Cuda;
import org.sinter.testing.FixtureFile;
import org.sinter.testing.KnownFailures;
import org.sinter.testing.OpCaseCheck;
import org.sinter.testing.OpFixtures;
import org.sinter.testing.TensorFactory;

/**
 * Every PyTorch fixture case of sinter-core once more with its inputs on the GPU: outputs and
 * input gradients against PyTorch's values within the fixture tolerances (the same table the CPU
 * meets). Named {@code cuda:add[broadcast_f32]}. Skipped without a GPU.
 */
@EnabledIf("org.sinter.cuda.GpuTests#available")
class CudaReferenceTest {
    static final TensorFactory CUDA = data -> TensorFactory.CPU.create(data).to(Device.cuda(0));

    @TestFactory
    Stream<DynamicTest> opsMatchPyTorchOnTheGpu() {
        OpFixtures f = OpFixtures.load(FixtureFile.CORE_OPS);
        return f.cases().stream().map(c -> DynamicTest.dynamicTest("cuda:" + c.id(),
                () -> KnownFailures.run(c.id(), () -> OpCaseCheck.check(c, PyTorchReferenceTest.call(c), CUDA))));
    }

    @AfterAll
    static void report() {
        System.out.println("[cuda] " + Cuda.device(0) + "; " + Cuda.device(0).kernels().compileStats());
        System.out.println("[cuda] ops run on the host (no GPU kernel yet): " + Cuda.hostFallbacks());
        assertTrue(Cuda.memoryReserved(0) >= 0);
    }
}
