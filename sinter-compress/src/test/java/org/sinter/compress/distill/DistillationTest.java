package org.sinter.compress.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.compress.prune.TorchPruneFixtures;
import org.sinter.data.Batch;
import org.sinter.nn.Linear;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;
import org.sinter.optim.Adam;

/** The distillation loss against PyTorch's (value and gradient), and the teacher-student loop on a synthetic task. */
class DistillationTest {
    @Test
    void lossAndGradientMatchPyTorch() throws Exception {
        Map<String, Map<String, Tensor>> cases = TorchPruneFixtures.load(DistillationTest.class, "torch_distill.txt");
        assertEquals(4, cases.size());
        for (var e : cases.entrySet()) {
            var c = e.getValue();
            float[] params = c.get("params").toFloatArray();
            float[] t = c.get("target").toFloatArray();
            long[] target = new long[t.length];
            for (int i = 0; i < t.length; i++) target[i] = (long) t[i];
            Tensor student = c.get("student").detach().requiresGrad(true);
            Tensor loss = new DistillationLoss(params[0], params[1]).compute(student, c.get("teacher"), Tensor.of(target));
            loss.backward();
            assertEquals(c.get("loss").toFloatArray()[0], loss.item(), 1e-5, e.getKey() + " loss");
            float[] want = c.get("grad").toFloatArray(), got = student.grad().toFloatArray();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-6, e.getKey() + " grad " + i);
        }
    }

    static List<Batch> batches(Sequential teacher, int count, int size, int dim) {
        List<Batch> out = new ArrayList<>();
        try (var _ = Sinter.noGrad()) {
            for (int i = 0; i < count; i++) {
                Tensor x = Tensor.randn(size, dim);
                out.add(Batch.of(x, teacher.forward(x).argmax(1, false)));
            }
        }
        return out;
    }

    static double agreement(Sequential a, Sequential b, List<Batch> data) {
        long same = 0, n = 0;
        try (var _ = Sinter.noGrad()) {
            for (Batch batch : data) {
                same += (long) a.forward(batch.input()).argmax(1, false).eq(b.forward(batch.input()).argmax(1, false)).sum().item();
                n += batch.input().size(0);
            }
        }
        return same / (double) n;
    }

    @Test
    void studentLearnsTheTeachersFunctionFromSoftTargetsAndFeatures() {
        Sinter.manualSeed(11);
        Sequential teacher = new Sequential(new Linear(10, 64), new ReLU(), new Linear(64, 5));
        Sequential student = new Sequential(new Linear(10, 16), new ReLU(), new Linear(16, 5));
        List<Batch> train = batches(teacher, 60, 32, 10), test = batches(teacher, 10, 100, 10);
        double before = agreement(teacher, student, test);
        FeatureMatching features = new FeatureMatching(16, 64, 0.1);
        Distiller d = new Distiller(teacher, student, new DistillationLoss(2, 0.9), features, 1, 1);
        Adam opt = new Adam(d.parameters(), 1e-2);
        double first = d.trainEpoch(train, opt), last = first;
        for (int epoch = 0; epoch < 3; epoch++) last = d.trainEpoch(train, opt);
        double after = agreement(teacher, student, test);
        assertTrue(last < first, "loss " + first + " -> " + last);
        System.out.printf("distilled student: agreement with the teacher %.3f -> %.3f, loss %.4f -> %.4f%n", before, after, first, last);
        assertTrue(after > 0.75 && after > before + 0.3, "agreement with the teacher " + before + " -> " + after);
        assertNotNull(features.projection.weight.grad(), "the projection trains with the student");
    }

    @Test
    void badArgumentsAreClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(2, 1.5));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DistillationLoss(2, 0.5).compute(Tensor.randn(4, 3), Tensor.randn(4, 5), Tensor.of(new long[] {0, 1, 2, 0})));
        assertTrue(e.getMessage().contains("must both be (N, classes)"), e.getMessage());
        var fm = new FeatureMatching(4, 6, 1);
        e = assertThrows(IllegalArgumentException.class, () -> fm.loss(Tensor.randn(2, 5), Tensor.randn(2, 6)));
        assertTrue(e.getMessage().contains("student features of width 4"), e.getMessage());
    }
}
