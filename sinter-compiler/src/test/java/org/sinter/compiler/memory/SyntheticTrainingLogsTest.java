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
    void aTinyStepAllocatesAndFreesLikeEagerAutograd() {
        SyntheticLayers t = new SyntheticLayers();
        var w = t.param("fc.weight", 3, 4);
        var b = t.param("fc.bias", 3);
        var data = t.alloc("float32", new int[] {2, 4}, "batch.data", false);
        var target = t.alloc("int64", new int[] {2}, "batch.target", false);
        var h = t.linear(data, w, b);
        var y = t.relu(h);
        t.release(h);
        var logProbs = t.logSoftmax(y);
        t.release(y);
        var loss = t.nllLoss(logProbs, target);
        t.release(logProbs);
        t.backward(loss);
        // addmm's output goes as soon as relu has run (relu's backward needs only its result); every
        // activation goes once backward has passed the ops that saved it; the data gets no gradient.
        assertEquals("""
                # sinter-alloc-log v1
                alloc 0 48 float32[3,4]:fc.weight
                alloc 1 12 float32[3]:fc.bias
                alloc 2 32 float32[2,4]:batch.data
                alloc 3 16 int64[2]:batch.target
                alloc 4 24 float32[2,3]:addmm
                alloc 5 24 float32[2,3]:relu
                free 4
                alloc 6 24 float32[2,3]:log_softmax
                alloc 7 4 float32[]:nll_loss.total_weight
                alloc 8 4 float32[]:nll_loss
                alloc 9 4 float32[]:ones_like
                alloc 10 24 float32[2,3]:nll_loss_backward
                free 9
                free 7
                alloc 11 24 float32[2,3]:log_softmax_backward
                free 10
                free 6
                alloc 12 24 float32[2,3]:threshold_backward
                free 11
                free 5
                alloc 13 48 float32[3,4]:fc.weight.grad
                alloc 14 12 float32[3]:fc.bias.grad
                free 12
                """, t.recorder.toLog().format());
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
