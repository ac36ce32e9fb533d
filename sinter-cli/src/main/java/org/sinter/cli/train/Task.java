package org.sinter.cli.train;

import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.nn.Module;

/** What a training run learns: its data, its model, its loss and how it is scored. */
public interface Task {
    enum Kind { IMAGE, TEXT }

    /** The model to train (fresh). */
    Module createModel();

    /** Loader over the training data, drawing its order from {@code generator}'s state. */
    DataLoader<Batch> trainLoader(org.sinter.Generator generator, int batchSize, int workers);

    /** Loader over the held-out data (fixed order). */
    DataLoader<Batch> testLoader(int batchSize, int workers);

    /** The loss (a 0-d tensor) of the model's output on a batch's target: what training differentiates, eager or compiled. */
    Tensor loss(Tensor output, Tensor target);

    /** How many of the output's predictions (its arg-max over the last dimension) equal the target. */
    default long correct(Tensor output, Tensor target) {
        try (var _ = org.sinter.Sinter.noGrad()) {
            return (long) output.argmax(-1, false).eq(target).sum().item();
        }
    }

    /** The loss of a batch and the number of correct predictions in it. */
    default Step step(Module model, Batch batch) {
        Tensor out = model.forward(batch.input());
        return new Step(loss(out, batch.target()), correct(out, batch.target()), batch.target().numel());
    }

    /** {@link #step(Module, Batch)} with the batch moved to {@code device} first (the model must be there). */
    default Step step(Module model, Batch batch, org.sinter.Device device) {
        return step(model, batch.to(device));
    }

    /** Loss and correct count of one batch; {@code count} is how many predictions it scored. */
    record Step(Tensor loss, long correct, long count) {}

    /** A line describing the data, printed at the start of a run. */
    String describe();

    /** Reference line for the log (e.g. the unigram entropy a language model must beat); may be empty. */
    default String baseline() {
        return "";
    }
}
