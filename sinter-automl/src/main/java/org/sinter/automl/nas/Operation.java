package org.sinter.automl.nas;

import java.util.Arrays;
import java.util.List;
import org.sinter.Tensor;
import org.sinter.nn.AvgPool2d;
import org.sinter.nn.BatchNorm2d;
import org.sinter.nn.Conv2d;
import org.sinter.nn.Identity;
import org.sinter.nn.MaxPool2d;
import org.sinter.nn.Module;
import org.sinter.nn.ReLU;
import org.sinter.nn.Sequential;

/**
 * The candidate operations on a cell's edge, DARTS' names and definitions (Liu et al. 2019) reduced to a small set: every
 * operation keeps the channel count and the spatial size (stride 1), so any of them can sit on any edge.
 *
 * <p>During the search ({@code affine = false}) batch norms have no learned scale and shift, as in DARTS, so the
 * architecture weights alone decide how much of each operation reaches the node; the pools get a batch norm too so that
 * their scale is comparable with the convolutions'. A derived network builds its operations with {@code affine = true}.
 */
public enum Operation {
    /** No connection: contributes zeros (never kept in a derived cell). */
    NONE("none"),
    SKIP_CONNECT("skip_connect"),
    MAX_POOL_3X3("max_pool_3x3"),
    AVG_POOL_3X3("avg_pool_3x3"),
    /** ReLU, depthwise 3x3, pointwise 1x1, batch norm (DARTS stacks this twice; once here to keep the search cheap). */
    SEP_CONV_3X3("sep_conv_3x3"),
    /** ReLU, depthwise 3x3 with dilation 2 (a 5x5 receptive field), pointwise 1x1, batch norm. */
    DIL_CONV_3X3("dil_conv_3x3");

    /** The operations a derived cell may use: all but {@link #NONE}. */
    public static final List<Operation> CANDIDATES = Arrays.stream(values()).filter(o -> o != NONE).toList();

    private final String pythonName;

    Operation(String pythonName) {
        this.pythonName = pythonName;
    }

    /** DARTS' name for the operation ({@code sep_conv_3x3}), used in genotype JSON. */
    public String pythonName() {
        return pythonName;
    }

    public static Operation fromName(String name) {
        for (Operation o : values()) if (o.pythonName.equals(name)) return o;
        throw new IllegalArgumentException("unknown operation '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Operation::pythonName).toList());
    }

    /** A fresh module computing this operation on {@code channels} channels. */
    public Module build(int channels, boolean affine) {
        return switch (this) {
            case NONE -> new Zero();
            case SKIP_CONNECT -> new Identity();
            case MAX_POOL_3X3 -> new Sequential(new MaxPool2d(3, 1, 1), norm(channels, affine));
            // DARTS' avg_pool_3x3 does not count the padding, so border pixels are not darkened.
            case AVG_POOL_3X3 -> new Sequential(new AvgPool2d(new int[] {3}, new int[] {1}, new int[] {1}, false, false, 0),
                    norm(channels, affine));
            case SEP_CONV_3X3 -> convolution(channels, 1, affine);
            case DIL_CONV_3X3 -> convolution(channels, 2, affine);
        };
    }

    private static Module convolution(int channels, int dilation, boolean affine) {
        return new Sequential(new ReLU(),
                new Conv2d(channels, channels, new int[] {3}, new int[] {1}, new int[] {dilation}, new int[] {dilation}, channels, false, "zeros"),
                new Conv2d(channels, channels, new int[] {1}, new int[] {1}, new int[] {0}, new int[] {1}, 1, false, "zeros"),
                norm(channels, affine));
    }

    static BatchNorm2d norm(int channels, boolean affine) {
        return new BatchNorm2d(channels, 1e-5, 0.1, affine, true);
    }

    /** DARTS' {@code Zero}: the input times zero (keeps shape, dtype and the autograd graph's shape). */
    static final class Zero extends Module {
        @Override
        public Tensor forward(Tensor input) {
            return input.mul(0.0);
        }
    }
}
