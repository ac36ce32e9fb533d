package org.sinter.compress.distill;

import java.util.ArrayList;
import java.util.List;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;
import org.sinter.optim.Optimizer;

/**
 * A teacher-student training loop: the teacher (frozen, in eval mode) and the student see the same
 * batch; the student learns from the {@link DistillationLoss} and, optionally, from
 * {@link FeatureMatching} between the output of its layer {@code studentLayer} and the teacher's
 * layer {@code teacherLayer} (both Sequential, layers counted from 0, the output taken after that layer).
 */
public final class Distiller {
    private final Sequential teacher, student;
    private final DistillationLoss loss;
    private final FeatureMatching features;
    private final int teacherLayer, studentLayer;

    public Distiller(Sequential teacher, Sequential student, DistillationLoss loss) {
        this(teacher, student, loss, null, -1, -1);
    }

    public Distiller(Sequential teacher, Sequential student, DistillationLoss loss, FeatureMatching features, int teacherLayer, int studentLayer) {
        if (features != null && (teacherLayer < 0 || teacherLayer >= teacher.size() || studentLayer < 0 || studentLayer >= student.size())) {
            throw new IllegalArgumentException("distillation: feature layers " + teacherLayer + " (teacher, " + teacher.size() + " layers) and "
                    + studentLayer + " (student, " + student.size() + " layers) out of range");
        }
        this.teacher = teacher;
        this.student = student;
        this.loss = loss;
        this.features = features;
        this.teacherLayer = teacherLayer;
        this.studentLayer = studentLayer;
    }

    /** What the optimizer must train: the student's parameters and the feature projection's. */
    public List<Tensor> parameters() {
        List<Tensor> p = new ArrayList<>(student.parameters());
        if (features != null) p.addAll(features.parameters());
        return p;
    }

    /** One optimizer step on one batch; returns the loss. */
    public double step(Batch batch, Optimizer optimizer) {
        teacher.eval();
        student.train();
        Tensor x = batch.input();
        Tensor[] t, s;
        try (var _ = Sinter.noGrad()) {
            t = forward(teacher, x, features == null ? -1 : teacherLayer);
        }
        s = forward(student, x, features == null ? -1 : studentLayer);
        Tensor l = loss.compute(s[0], t[0], batch.target());
        if (features != null) l = l.add(features.loss(s[1], t[1]));
        optimizer.zeroGrad();
        l.backward();
        optimizer.step();
        return l.item();
    }

    /** One pass over {@code batches}; returns the mean loss. */
    public double trainEpoch(Iterable<Batch> batches, Optimizer optimizer) {
        double sum = 0;
        int n = 0;
        for (Batch b : batches) {
            sum += step(b, optimizer);
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The model's output and, when {@code layer >= 0}, the output of that layer. */
    static Tensor[] forward(Sequential model, Tensor x, int layer) {
        Tensor feature = null;
        for (int i = 0; i < model.size(); i++) {
            x = model.get(i).forward(x);
            if (i == layer) feature = x;
        }
        return new Tensor[] {x, feature};
    }

    public Module student() {
        return student;
    }
}
