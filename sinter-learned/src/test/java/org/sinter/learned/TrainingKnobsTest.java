package org.sinter.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.learned.tuning.ChildJvmObjective;
import org.sinter.learned.tuning.TrainingKnobs;
import org.sinter.learned.tuning.TrainingStepWorkload;
import org.sinter.learned.tuning.TrainingTuning;

/** Training knobs become the JVM options they stand for, and each measurement runs in its own JVM. */
class TrainingKnobsTest {
    @Test
    void knobsBecomeJvmOptions() {
        Map<String, Object> k = new HashMap<>(TrainingKnobs.defaults(2));
        assertEquals(List.of("-XX:+UseG1GC", "-Dsinter.sgemm.kc=512", "-Dsinter.sgemm.mc=128", "-Dsinter.sgemm.nchunk=256",
                "-Dsinter.conv.direct=auto", "-Dsinter.conv.packed=auto"), TrainingKnobs.jvmOptions(k));
        k.put("gc", "Parallel");
        k.put("young_mb", 256);
        k.put("conv_direct", "off");
        k.put("conv_packed", "off");
        assertEquals(List.of("-XX:+UseParallelGC", "-Xmn256m", "-Dsinter.sgemm.kc=512", "-Dsinter.sgemm.mc=128",
                "-Dsinter.sgemm.nchunk=256", "-Dsinter.conv.direct=off", "-Dsinter.conv.packed=off"), TrainingKnobs.jvmOptions(k));
        assertEquals(2, TrainingKnobs.threads(k));
        // Every default is a point of the space, so the tuner can return the defaults themselves.
        var space = TrainingKnobs.space(2);
        assertEquals(space.parameters().keySet(), TrainingKnobs.defaults(2).keySet());
        k.put("gc", "Shenandoah-ish");
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingKnobs.jvmOptions(k));
        assertTrue(e.getMessage().contains("'gc'"), e.getMessage());
        k.put("gc", "Serial");
        k.put("sgemm_kc", 0);
        e = assertThrows(IllegalArgumentException.class, () -> TrainingKnobs.jvmOptions(k));
        assertTrue(e.getMessage().contains("sgemm_kc"), e.getMessage());
    }

    @Test
    void aTrialRunsTheTrainingStepInAFreshJvm() throws Exception {
        Map<String, Object> k = new HashMap<>(TrainingKnobs.defaults(1));
        k.put("gc", "Serial");
        double rate = TrainingTuning.objective("mlp", 8, 1, 3).measure(k);
        assertTrue(rate > 0 && Double.isFinite(rate), "steps/s " + rate);
    }

    @Test
    void aFailingOrHangingTrialIsReportedWithItsOutput() {
        var bad = new ChildJvmObjective(TrainingStepWorkload.class.getName(), "steps_per_second",
                TrainingKnobs::jvmOptions, knobs -> List.of("resnet", "8", "1", "1", "1"), 300);
        var e = assertThrows(IOException.class, () -> bad.measure(TrainingKnobs.defaults(1)));
        assertTrue(e.getMessage().contains("model must be cnn or mlp, got 'resnet'"), e.getMessage());
        // A million MLP steps cannot finish in 3 s on any machine: the child is killed, not waited for.
        var slow = new ChildJvmObjective(TrainingStepWorkload.class.getName(), "steps_per_second",
                TrainingKnobs::jvmOptions, knobs -> List.of("mlp", "256", "1", "1", "1000000"), 3);
        e = assertThrows(IOException.class, () -> slow.measure(TrainingKnobs.defaults(1)));
        assertTrue(e.getMessage().contains("ran past 3.0 s and was killed"), e.getMessage());
    }
}
