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

    /** The loss of a batch (a 0-d tensor) and the number of correct predictions in it. */
    Step step(Module model, Batch batch);

    /** Loss and correct count of one batch; {@code count} is how many predictions it scored. */
    record Step(Tensor loss, long correct, long count) {}

    /** A line describing the data, printed at the start of a run. */
    String describe();

    /** Reference line for the log (e.g. the unigram entropy a language model must beat); may be empty. */
    default String baseline() {
        return "";
    }
}
