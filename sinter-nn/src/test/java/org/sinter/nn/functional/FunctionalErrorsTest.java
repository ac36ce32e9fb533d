package org.sinter.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Tensor;

/** Bad arguments get PyTorch's message, naming the shapes; a few shape rules besides the fixtures. */
class FunctionalErrorsTest {

    private static void fails(String fragment, Runnable r) {
        Exception e = assertThrows(RuntimeException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void convolutionArguments() {
        Tensor x = Tensor.randn(2, 3, 5, 5);
        fails("expected input[2, 3, 5, 5] to have 4 channels, but got 3 channels", () -> F.conv2d(x, Tensor.randn(8, 4, 3, 3)));
        fails("Kernel size can't be greater than actual input size", () -> F.conv2d(x, Tensor.randn(8, 3, 7, 7)));
        fails("Expected 3D (unbatched) or 4D (batched) input to conv2d", () -> F.conv2d(Tensor.randn(5, 5), Tensor.randn(1, 1, 3, 3)));
        fails("padding='same' is not supported for strided convolutions",
                () -> F.conv2d(x, Tensor.randn(4, 3, 3, 3), null, new int[] {2}, "same", new int[] {1}, 1));
        fails("conv2d: kernel size should be greater than zero, but got [0, 0]", () -> F.conv2d(x, Tensor.randn(8, 3, 0, 0)));
        fails("conv1d: kernel size should be greater than zero, but got [0]", () -> F.conv1d(Tensor.randn(1, 3, 5), Tensor.randn(2, 3, 0), null));
        fails("conv2d: stride should be greater than zero", () -> F.conv2d(x, Tensor.randn(8, 3, 3, 3), null, 0, 0));
        fails("conv_transpose2d: kernel size should be greater than zero", () -> F.convTranspose2d(x, Tensor.randn(3, 2, 0, 3), null));
        fails("expected bias to be 1-dimensional with 4 elements", () -> F.conv2d(x, Tensor.randn(4, 3, 3, 3), Tensor.randn(3)));
        fails("output padding must be smaller than either stride or dilation",
                () -> F.convTranspose2d(x, Tensor.randn(3, 2, 3, 3), null, new int[] {1}, new int[] {0}, new int[] {1}, 1, new int[] {1}));
        assertArrayEquals(new int[] {2, 4, 5, 5}, F.conv2d(x, Tensor.randn(4, 3, 4, 4), null, new int[] {1}, "same", new int[] {1}, 1).shape());
    }

    @Test
    void poolingArguments() {
        Tensor x = Tensor.randn(1, 1, 2, 2);
        fails("Output size is too small", () -> F.maxPool2d(x, 3));
        fails("pad should be at most half of kernel size", () -> F.maxPool2d(Tensor.randn(1, 1, 9, 9), 3, 1, 2));
        fails("non-empty 3D or 4D", () -> F.avgPool2d(Tensor.randn(4, 4), 2));
        // Checked before the output size is computed (a zero stride used to divide by zero).
        Tensor big = Tensor.randn(1, 1, 6, 6);
        fails("max_pool2d: kernel size should be greater than zero, but got [0, 0]", () -> F.maxPool2d(big, 0));
        fails("max_pool2d: stride should be greater than zero, but got [0, 0]", () -> F.maxPool2d(big, 2, 0, 0));
        fails("max_pool2d: padding should be non-negative, but got [-1, -1]", () -> F.maxPool2d(big, 2, 1, -1));
        fails("avg_pool2d: stride should be greater than zero", () -> F.avgPool2d(big, 2, 0, 0));
        fails("avg_pool2d: kernel size should be greater than zero", () -> F.avgPool2d(big, 0));
        assertArrayEquals(new int[] {1, 1, 1, 1}, F.adaptiveAvgPool2d(x, 1).shape());
    }

    @Test
    void lossArguments() {
        Tensor logits = Tensor.randn(3, 4);
        fails("Target 7 is out of bounds", () -> F.crossEntropy(logits, Tensor.of(new long[] {0, 7, 1}, 3)));
        fails("Expected input batch_size (3) to match target batch_size (2)", () -> F.nllLoss(logits, Tensor.of(new long[] {0, 1}, 2)));
        fails("label_smoothing must be between 0.0 and 1.0", () -> F.crossEntropy(logits, Tensor.of(new long[] {0, 1, 2}, 3), null, -100,
                Reduction.MEAN, 1.5));
        fails("all elements of input should be between 0 and 1", () -> F.binaryCrossEntropy(logits, Tensor.rand(3, 4)));
        fails("that is different to the input size", () -> F.binaryCrossEntropyWithLogits(logits, Tensor.rand(3, 5)));
        fails("only valid for kl_div", () -> F.l1Loss(logits, logits, Reduction.BATCHMEAN));
        fails("not a valid value for reduction", () -> Reduction.of("avg"));
        fails("dropout probability has to be between 0 and 1", () -> F.dropout(logits, -0.1, true));
        fails("Expected number of channels in input to be divisible by num_groups", () -> F.groupNorm(Tensor.randn(2, 5, 3), 2, null, null));
        fails("Given normalized_shape=[4]", () -> F.layerNorm(Tensor.randn(2, 3), new int[] {4}, null, null));
        fails("embedding(): index 4 is out of bounds for dimension 0 with size 4", () -> F.embedding(Tensor.of(new long[] {4}, 1), Tensor.randn(4, 2)));
        // PyTorch rejects negative indices too ("index out of range in self"); they used to wrap.
        fails("embedding(): index -1 is out of bounds for dimension 0 with size 4", () -> F.embedding(Tensor.of(new long[] {-1}, 1), Tensor.randn(4, 2)));
    }
}
