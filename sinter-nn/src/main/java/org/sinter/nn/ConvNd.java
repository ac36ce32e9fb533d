package org.sinter.nn;

import java.util.Arrays;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.ops.WindowArgs;

/**
 * What Conv1d, Conv2d and ConvTranspose2d share (PyTorch's {@code _ConvNd}): the hyper-parameters,
 * the {@code weight} and optional {@code bias} parameters, their initialization
 * (kaiming_uniform with a = √5, i.e. U(±1/√fan_in), and bias U(±1/√fan_in)), and the repr.
 */
public abstract class ConvNd extends Module {
    public final int inChannels, outChannels, groups;
    public final int[] kernelSize, stride, padding, dilation, outputPadding;
    /** Non-null when padding was given as "same" or "valid". */
    public final String paddingString;
    /** "zeros", "reflect", "replicate" or "circular". */
    public final String paddingMode;
    public final boolean transposed;
    public final Tensor weight, bias;

    @SuppressWarnings("this-escape") // registers and initializes (resetParameters) its parameters in the constructor, as PyTorch does
    protected ConvNd(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingString,
                     int[] dilation, boolean transposed, int[] outputPadding, int groups, boolean bias, String paddingMode) {
        String name = getClass().getSimpleName();
        LayerArgs.nonNegative(name, "in_channels", inChannels);
        LayerArgs.nonNegative(name, "out_channels", outChannels);
        WindowArgs.kernel(name, kernelSize);
        WindowArgs.stride(name, stride);
        WindowArgs.padding(name, "padding", padding);
        WindowArgs.dilation(name, dilation);
        if (outputPadding != null) WindowArgs.padding(name, "output_padding", outputPadding);
        if (groups <= 0) throw new IllegalArgumentException(name + ": groups must be a positive integer");
        if (inChannels % groups != 0) throw new IllegalArgumentException(name + ": in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new IllegalArgumentException(name + ": out_channels must be divisible by groups");
        if (!Arrays.asList("zeros", "reflect", "replicate", "circular").contains(paddingMode)) {
            throw new IllegalArgumentException(name + ": padding_mode must be one of zeros, reflect, replicate or circular, but got padding_mode='"
                    + paddingMode + "'");
        }
        if (paddingString != null && !paddingString.equals("same") && !paddingString.equals("valid")) {
            throw new IllegalArgumentException(name + ": Invalid padding string '" + paddingString + "', should be one of {'valid', 'same'}");
        }
        if ("same".equals(paddingString) && Arrays.stream(stride).anyMatch(s -> s != 1)) {
            throw new IllegalArgumentException(name + ": padding='same' is not supported for strided convolutions");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.paddingString = paddingString;
        this.dilation = dilation;
        this.transposed = transposed;
        this.outputPadding = outputPadding;
        this.groups = groups;
        this.paddingMode = paddingMode;
        int[] ws = new int[2 + kernelSize.length];
        ws[0] = transposed ? inChannels : outChannels;
        ws[1] = transposed ? outChannels / groups : inChannels / groups;
        System.arraycopy(kernelSize, 0, ws, 2, kernelSize.length);
        this.weight = registerParameter("weight", Tensor.empty(ws));
        this.bias = registerParameter("bias", bias ? Tensor.empty(outChannels) : null);
        resetParameters();
    }

    /** kaiming_uniform_(weight, a=√5) and bias U(±1/√fan_in), with fan_in = size(1)·kernel area. */
    public void resetParameters() {
        int fanIn = weight.size(1);
        for (int k : kernelSize) fanIn *= k;
        // gain √(2/(1+a²)) with a = √5 is √(1/3); bound = gain·√(3/fan_in) = 1/√fan_in.
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        try (var _ = Sinter.noGrad()) {
            weight.uniform_(-bound, bound);
            if (bias != null) bias.uniform_(-bound, bound);
        }
    }

    /** The explicit padding PyTorch's {@code _reversed_padding_repeated_twice} gives F.pad for non-zero modes. */
    protected Tensor padForMode(Tensor x) {
        int n = kernelSize.length;
        int[] pad = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int before, after;
            if ("same".equals(paddingString)) {
                int total = dilation[i] * (kernelSize[i] - 1);
                before = total / 2;
                after = total - before;
            } else if ("valid".equals(paddingString)) {
                before = after = 0;
            } else {
                before = after = padding[i];
            }
            pad[2 * (n - 1 - i)] = before;
            pad[2 * (n - 1 - i) + 1] = after;
        }
        return x.pad(pad, paddingMode, 0);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(Reprs.tuple(kernelSize)).append(", stride=").append(Reprs.tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(Reprs.tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(Reprs.tuple(dilation));
        if (outputPadding != null && Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            s.append(", output_padding=").append(Reprs.tuple(outputPadding));
        }
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }

    static int[] n(int[] v, int dims, String name) {
        if (v.length == dims) return v.clone();
        if (v.length == 1) {
            int[] r = new int[dims];
            Arrays.fill(r, v[0]);
            return r;
        }
        throw new IllegalArgumentException(name + " must be one value or " + dims + " values, got " + Arrays.toString(v));
    }
}
