package org.sinter.cli.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.sinter.cli.models.Gpt;
import org.sinter.cli.models.Lab1Cnn;
import org.sinter.cli.models.LeNet5;
import org.sinter.cli.models.Mlp;
import org.sinter.nn.Module;

/**
 * The models {@code sinter train --model} knows, each with the defaults that train it well: the
 * optimizer, learning rate, schedule, batch size and epochs. Command-line options override them.
 */
public enum ModelSpec {
    /** The course's Lab 1 CNN with PyTorch's MNIST-example recipe: Adadelta lr 1.0, StepLR gamma 0.7. */
    LAB1CNN("lab1cnn", Task.Kind.IMAGE, Lab1Cnn::new, true, "adadelta", 1.0, 64, 3, 0.7, 0),
    /** 784-512-512-10 perceptron. */
    MLP("mlp", Task.Kind.IMAGE, Mlp::new, false, "adam", 1e-3, 128, 8, 0.7, 0),
    /** LeNet-5 (ReLU, max-pooling). */
    LENET5("lenet5", Task.Kind.IMAGE, LeNet5::new, false, "adam", 1e-3, 64, 5, 0.7, 0),
    /** Opacus' MNIST example CNN (tanh, 26,010 parameters), with the recipe that trains it under DP-SGD: SGD lr 0.04 (with the CLI's momentum 0.9: the examples' plain lr 0.4), batch 256, 15 epochs. */
    SAMPLECNN("samplecnn", Task.Kind.IMAGE, org.sinter.cli.models.SampleConvNet::new, false, "sgd", 0.04, 256, 15, 1.0, 0),
    /** ResNet-18 (torchvision's architecture) with one input channel and ten classes for MNIST; SGD with momentum. */
    RESNET18("resnet18", Task.Kind.IMAGE, org.sinter.cli.models.ResNet18::new, false, "sgd", 0.05, 64, 2, 0.7, 0),
    /** A small character-level Transformer language model over the bundled King James text (600 steps an epoch). */
    CHARLM("charlm", vocab -> new Gpt(new Gpt.Config(vocab, TextTask.CONTEXT, 128, 4, 3, 0.1, false)), "adamw", 1e-3, 32, 3, 0.7, 600),
    /** A small GPT (4 blocks, d=128, 4 heads, GPT-2's initialisation and tied head) on the same text and recipe. */
    GPT("gpt", vocab -> new Gpt(new Gpt.Config(vocab, TextTask.CONTEXT, 128, 4, 4, 0.1, true)), "adamw", 1e-3, 32, 3, 0.7, 600);

    public final String id;
    public final Task.Kind kind;
    private final Supplier<Module> factory;
    /** Text models: the model for a vocabulary of this many tokens. */
    private final IntFunction<Module> textFactory;
    /** The model ends in log-softmax (NLL loss) rather than logits (cross-entropy). */
    public final boolean logProbabilities;
    public final String optimizer;
    public final double lr;
    public final int batchSize, epochs;
    /** StepLR gamma applied after each epoch (1.0: constant). */
    public final double gamma;
    /** Batches per epoch by default (0: the whole data set). */
    public final int maxStepsPerEpoch;

    ModelSpec(String id, Task.Kind kind, Supplier<Module> factory, boolean logProbabilities, String optimizer, double lr,
              int batchSize, int epochs, double gamma, int maxStepsPerEpoch) {
        this(id, kind, factory, null, logProbabilities, optimizer, lr, batchSize, epochs, gamma, maxStepsPerEpoch);
    }

    /** A text model, built for the vocabulary of its text. */
    ModelSpec(String id, IntFunction<Module> textFactory, String optimizer, double lr, int batchSize, int epochs, double gamma,
              int maxStepsPerEpoch) {
        this(id, Task.Kind.TEXT, null, textFactory, false, optimizer, lr, batchSize, epochs, gamma, maxStepsPerEpoch);
    }

    ModelSpec(String id, Task.Kind kind, Supplier<Module> factory, IntFunction<Module> textFactory, boolean logProbabilities,
              String optimizer, double lr, int batchSize, int epochs, double gamma, int maxStepsPerEpoch) {
        this.id = id;
        this.kind = kind;
        this.factory = factory;
        this.textFactory = textFactory;
        this.logProbabilities = logProbabilities;
        this.optimizer = optimizer;
        this.lr = lr;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.gamma = gamma;
        this.maxStepsPerEpoch = maxStepsPerEpoch;
    }

    /** A freshly initialized image model (text models need their vocabulary: {@link #create(int)}). */
    public Module create() {
        if (factory == null) throw new IllegalStateException(id + " is a text model: create(vocabulary size)");
        return factory.get();
    }

    /** A freshly initialized text model over a vocabulary of {@code vocab} tokens. */
    public Module create(int vocab) {
        if (textFactory == null) throw new IllegalStateException(id + " is an image model: create()");
        return textFactory.apply(vocab);
    }

    public static ModelSpec of(String id) {
        for (ModelSpec m : values()) if (m.id.equals(id.toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException("unknown model '" + id + "'; known: "
                + Arrays.stream(values()).map(m -> m.id).toList());
    }
}
