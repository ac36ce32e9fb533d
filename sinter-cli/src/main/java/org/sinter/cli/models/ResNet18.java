package org.sinter.cli.models;

/**
 * The zoo's ResNet-18: {@link org.sinter.nn.models.ResNet18} (torchvision's architecture and
 * parameter names), kept under the CLI's model package where the zoo's other models live.
 * {@code ResNet18()} is the MNIST recipe (one input channel, ten classes); {@code ResNet18(3, 1000)}
 * the ImageNet model.
 */
public final class ResNet18 extends org.sinter.nn.models.ResNet18 {
    public ResNet18() {
        super(1, 10);
    }

    public ResNet18(int inChannels, int classes) {
        super(inChannels, classes);
    }
}
