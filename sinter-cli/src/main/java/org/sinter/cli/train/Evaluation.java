package org.sinter.cli.train;

import org.sinter.Sinter;
import org.sinter.data.Batch;
import org.sinter.nn.Module;

/** Held-out evaluation shared by training and {@code sinter eval}. */
public final class Evaluation {
    private Evaluation() {}

    /** Mean loss and accuracy over the task's held-out data, in eval mode without gradients. */
    public static double[] evaluate(Task task, Module model) {
        return evaluate(task, model, org.sinter.Device.CPU);
    }

    /** {@link #evaluate(Task, Module)} with the model and the batches on {@code device}. */
    public static double[] evaluate(Task task, Module model, org.sinter.Device device) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0, correct = 0, count = 0;
        try (var _ = Sinter.noGrad()) {
            for (Batch b : task.testLoader(256, 0)) {
                Task.Step s = task.step(model, b, device);
                lossSum += s.loss().item() * s.count();
                correct += s.correct();
                count += s.count();
            }
        }
        model.train(wasTraining);
        return new double[] {lossSum / Math.max(1, count), correct / Math.max(1, count)};
    }
}
