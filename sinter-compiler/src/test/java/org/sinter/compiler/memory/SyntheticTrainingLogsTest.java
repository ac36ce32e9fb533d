package org.sinter.compiler.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.compiler.memory.AllocationLog.Alloc;
import org.sinter.compiler.memory.AllocationLog.Event;
import org.sinter.compiler.memory.AllocationLog.Free;

/** The synthetic training logs: the models' real sizes, and steady steps that leak nothing. */
class SyntheticTrainingLogsTest {
    /** Bytes live just before each step's batch arrives, then the peak within each step. */
    private record Steps(List<Long> liveAtStart, List<Long> peakInStep) {}

    private static Steps steps(AllocationLog log) {
        Map<Long, Long> bytes = new HashMap<>();
        List<Long> atStart = new ArrayList<>();
        List<Long> peaks = new ArrayList<>();
        long live = 0;
        for (Event e : log.events()) {
            switch (e) {
                case Alloc a -> {
                    if (a.tag().endsWith(":batch.data")) {
                        atStart.add(live);
                        peaks.add(0L);
                    }
                    bytes.put(a.id(), a.bytes());
                    live += a.bytes();
                }
                case Free f -> live -= bytes.remove(f.id());
            }
            if (!peaks.isEmpty()) peaks.set(peaks.size() - 1, Math.max(peaks.getLast(), live));
        }
        return new Steps(atStart, peaks);
    }

    /** Floats in the trainable parameters: the allocations before the first batch, less BatchNorm statistics. */
    private static long parameterCount(AllocationLog log) {
        long floats = 0;
        for (Event e : log.events()) {
            if (e instanceof Alloc a) {
                if (a.tag().endsWith(":batch.data")) break;
                if (!a.tag().contains("running_") && !a.tag().contains("num_batches_tracked")) floats += a.bytes() / 4;
            }
        }
        return floats;
    }

    @Test
    void lab1CnnHasTheExamplesParametersAndShapes() {
        AllocationLog log = SyntheticTrainingLogs.lab1Cnn(64, 3);
        assertEquals(1_199_882, parameterCount(log), "PyTorch's MNIST example network");
        List<String> tags = log.events().stream().filter(e -> e instanceof Alloc).map(e -> ((Alloc) e).tag()).toList();
        assertTrue(tags.contains("float32[64,32,26,26]:conv2d"));
        assertTrue(tags.contains("int64[64,64,12,12]:max_pool2d.indices"));
        assertTrue(tags.contains("float32[128,9216]:fc1.weight.grad"));
        assertTrue(tags.contains("float32[128,9216]:fc1.weight.square_avg"));
        assertEquals(log, AllocationLog.parse(log.format(), "cnn"), "the tags survive the text form");
    }

    @Test
    void resnet18HasTorchvisionsParameterCount() {
        AllocationLog log = SyntheticTrainingLogs.resnet18(2, 64, 1);
        assertEquals(11_689_512, parameterCount(log));
    }

    @Test
    void stepsAfterTheFirstAreIdenticalSoNothingLeaks() {
        for (AllocationLog log : List.of(SyntheticTrainingLogs.lab1Cnn(16, 3), SyntheticTrainingLogs.resnet18(4, 64, 3))) {
            Steps s = steps(log);
            assertEquals(3, s.liveAtStart().size());
            assertTrue(s.liveAtStart().get(1) > s.liveAtStart().get(0), "gradients, optimizer state and the last batch stay");
            assertEquals(s.liveAtStart().get(1), s.liveAtStart().get(2));
            assertEquals(s.peakInStep().get(1), s.peakInStep().get(2));
        }
    }

    @Test
    void activationsDominateThePeak() {
        AllocationLog log = SyntheticTrainingLogs.resnet18(32, 224, 2);
        Steps s = steps(log);
        long parameters = 11_689_512L * 4;
        // Parameters, gradients and momentum are 3 x 44.6 MiB; batch-32 activations add several hundred MiB.
        assertTrue(s.peakInStep().get(1) > 3 * parameters + (300L << 20), "peak " + s.peakInStep().get(1));
    }
}
