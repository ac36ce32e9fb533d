package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sinter.kernels.conv.ConvGeometry;
import org.sinter.kernels.pool.PoolKernels;
import org.sinter.ops.IndexOps;
import org.sinter.ops.Ints;
import org.sinter.ops.NnOps;
import org.sinter.ops.ShapeOps;

/** Bad input fails with an exception naming the op and the shapes, never a wrong answer. */
class ErrorMessagesTest {
    private static void fails(Executable e, String... fragments) {
        RuntimeException ex = assertThrows(RuntimeException.class, e);
        for (String f : fragments) assertTrue(ex.getMessage().contains(f), () -> "message lacks '" + f + "': " + ex.getMessage());
    }

    @Test
    void shapeMismatches() {
        fails(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4)), "add", "[2, 3]", "[4]");
        fails(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)), "matmul", "2x3", "4x5");
        fails(() -> Tensor.zeros(2, 3).view(4), "view", "[4]");
        fails(() -> Tensor.cat(new Tensor[] {Tensor.zeros(2, 3), Tensor.zeros(2, 4)}, 0), "cat", "dimension 0");
        fails(() -> Tensor.zeros(2, 3).expand(4, 4), "expand", "4");
        fails(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2), "of", "3 values", "[2, 2]");
    }

    @Test
    void dimOutOfRange() {
        fails(() -> Tensor.zeros(2, 3).sum(2, false), "sum", "dimension out of range", "got 2");
        fails(() -> Tensor.zeros(2, 3).softmax(-3), "softmax", "dimension out of range");
        fails(() -> Tensor.zeros(2, 3).transpose(0, 5), "transpose");
    }

    @Test
    void dtypeErrors() {
        fails(() -> Tensor.of(new float[] {1}).matmul(Tensor.of(new double[] {1})), "matmul", "FLOAT32", "FLOAT64");
        fails(() -> Tensor.zeros(3).gather(0, Tensor.zeros(3)), "gather", "int64");
        fails(() -> Tensor.arange(3).mean(), "mean", "INT64");
        fails(() -> Tensor.where(Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3)), "where", "bool");
    }

    @Test
    void indexOutOfBounds() {
        fails(() -> Tensor.zeros(3).gather(0, Tensor.of(new long[] {5})), "gather", "index 5", "size 3");
        fails(() -> Tensor.zeros(3).indexSelect(0, Tensor.of(new long[] {-4})), "index_select", "-4");
        fails(() -> Tensor.zeros(3).item(), "item", "3 elements");
    }

    /** Every op that reads an index tensor checks [0, size), as PyTorch does: a negative index is an error, not a wrap. */
    @Test
    void negativeIndicesAreErrorsNotWrapped() {
        Tensor x = Tensor.zeros(2, 3);
        Tensor neg = Tensor.of(new long[] {0, -1, 1, 0}, 2, 2);
        String bounds = "index -1 is out of bounds for dimension 1 with size 3";
        fails(() -> x.gather(1, neg), "gather(): " + bounds);
        fails(() -> x.scatter(1, neg, Tensor.ones(2, 2)), "scatter(): " + bounds);
        fails(() -> x.scatter(1, neg, 2.0), "scatter(): " + bounds);
        fails(() -> x.scatterAdd(1, neg, Tensor.ones(2, 2)), "scatter_add(): " + bounds);
        fails(() -> x.indexSelect(1, Tensor.of(new long[] {-1})), "index_select(): " + bounds);
        fails(() -> IndexOps.indexAdd(x, 1, Tensor.of(new long[] {-1}), Tensor.ones(2, 1)), "index_add(): " + bounds);
        fails(() -> x.indexSelect(1, Tensor.of(new int[] {-1})), "index_select(): " + bounds);
        fails(() -> IndexOps.indexAdd(x, 1, Tensor.of(new long[] {3}), Tensor.ones(2, 1)), "index_add(): index 3 is out of bounds");
        // A 0-d tensor indexes as one element along dimension 0.
        String scalarBounds = "index -1 is out of bounds for dimension 0 with size 1";
        fails(() -> Tensor.scalar(5).gather(0, Tensor.of(new long[] {-1}).reshape()), "gather(): " + scalarBounds);
        fails(() -> Tensor.scalar(5).indexSelect(0, Tensor.of(new long[] {0, -1})), "index_select(): " + scalarBounds);
        fails(() -> IndexOps.indexAdd(Tensor.scalar(5), 0, Tensor.of(new long[] {1}), Tensor.ones(1)), "index_add(): index 1");
        assertArrayEquals(new float[] {5, 5}, Tensor.scalar(5).indexSelect(0, Tensor.of(new long[] {0, 0})).toFloatArray());
        // max pooling's backward reads flat in-plane indices: they are checked too.
        Tensor badIdx = Tensor.of(new long[] {0, 16}, 1, 1, 1, 2);
        fails(() -> Dispatch.apply1(new NnOps.MaxPoolBackward(Ints.of(1, 1, 4, 4)), Tensor.ones(1, 1, 1, 2), badIdx),
                "max_pool2d_with_indices_backward(): index 16 is out of bounds for a plane of 16 elements");
    }

    /** A double that a dtype cannot hold is an error wherever it becomes an element (PyTorch's message), not 0 or -1. */
    @Test
    void scalarsThatDoNotFitTheDtypeAreErrors() {
        String int32 = "cannot be converted to type int32 without overflow";
        fails(() -> Tensor.full(Double.NaN, DType.INT32, 2), "full(): value NaN " + int32);
        fails(() -> Tensor.full(1e20, DType.INT32, 2), "full(): value 1.0E20 " + int32);
        fails(() -> Tensor.full(2147483647.5, DType.INT32, 1), "full()", int32);
        fails(() -> Tensor.full(0x1p63, DType.INT64, 1), "full()", "int64 without overflow");
        fails(() -> Tensor.full(1e300, DType.FLOAT32, 1), "full()", "float32 without overflow");
        fails(() -> Tensor.full(7e4, DType.FLOAT16, 1), "full()", "float16 without overflow");
        Tensor x = Tensor.of(new int[] {1, 2}, 2);
        Tensor mask = Tensor.of(new boolean[] {true, false});
        fails(() -> Tensor.fullLike(x, 1e20), "full_like()", int32);
        fails(() -> Tensor.scalar(Double.POSITIVE_INFINITY, DType.INT64), "scalar_tensor()", "int64 without overflow");
        fails(() -> x.clone().fill_(1e20), "fill_()", int32);
        fails(() -> x.maskedFill(mask, Double.NaN), "masked_fill()", int32);
        fails(() -> x.clone().maskedFill_(mask, 1e20), "masked_fill()", int32);
        fails(() -> x.scatter(0, Tensor.of(new long[] {0}), 1e20), "scatter()", int32);
        fails(() -> ShapeOps.pad(x, new int[] {1, 1}, "constant", 1e20), "constant_pad_nd()", int32);
        fails(() -> x.clamp(-(1L << 40), 1L << 40), "clamp()", int32);
        fails(() -> x.to(DType.FLOAT32).clamp(-1e300, 1e300), "clamp()", "float32 without overflow");
        fails(() -> x.add(x, 1e10), "add()", int32);
        fails(() -> x.add(x, 2.5), "add()", "alpha must not be a floating point number");
        fails(() -> x.clone().add_(x, 2.5), "add()", "alpha must not be a floating point number");
        fails(() -> Tensor.arange(0, 1e20, 1e19, DType.INT64), "arange()", "int64 without overflow");
        fails(() -> Tensor.arange(0, 2, 0.5, DType.INT32), "arange", "step must be nonzero");
        fails(() -> Tensor.arange(0, Double.NaN, 1, DType.FLOAT32), "arange", "unsupported range");
        // What fits still converts: integers truncate toward zero, floats keep infinities and NaN, bool takes anything.
        assertArrayEquals(new int[] {2}, Tensor.full(2.5, DType.INT32, 1).toIntArray());
        assertArrayEquals(new int[] {-3}, Tensor.full(-3.7, DType.INT32, 1).toIntArray());
        assertArrayEquals(new int[] {2147483647}, Tensor.full(2147483647.0, DType.INT32, 1).toIntArray());
        assertArrayEquals(new int[] {2, 2}, x.maskedFill(mask, 2.9).toIntArray());
        assertArrayEquals(new int[] {3, 6}, x.add(x, 2).toIntArray());
        assertEquals(DType.INT32, x.add(x, 2).dtype());
        assertArrayEquals(new int[] {0, 2, 4}, Tensor.arange(0, 6, 2.7, DType.INT32).toIntArray());
        assertTrue(Float.isInfinite(Tensor.full(Double.NEGATIVE_INFINITY, DType.FLOAT16, 1).toFloatArray()[0]));
        assertTrue(Tensor.full(1e20, DType.BOOL, 1).toBooleanArray()[0]);
    }

    /** Ops sharing a reduction primitive (max(dim) is an argmax and a gather) report the op that was called. */
    @Test
    void emptyReductionsNameTheCalledOp() {
        Tensor e = Tensor.zeros(0, 3);
        fails(() -> e.max(0, false), "max(): Expected reduction dim 0 to have non-zero size");
        fails(() -> e.min(0, true), "min(): Expected reduction dim 0 to have non-zero size");
        fails(() -> e.argmax(0, false), "argmax(): Expected reduction dim 0 to have non-zero size");
        fails(() -> e.argmin(0, false), "argmin(): Expected reduction dim 0 to have non-zero size");
        fails(() -> e.amax(new int[] {0}, false), "amax(): Expected reduction dim 0 to have non-zero size");
        fails(() -> e.amin(new int[] {0}, false), "amin(): Expected reduction dim 0 to have non-zero size");
        fails(() -> e.norm(Double.POSITIVE_INFINITY, new int[] {0}, false), "norm(): Expected reduction dim 0 to have non-zero size");
        fails(e::max, "max(): Expected reduction dim to be specified for input.numel() == 0");
        fails(e::min, "min(): Expected reduction dim to be specified for input.numel() == 0");
        fails(e::argmax, "argmax(): Expected reduction dim to be specified for input.numel() == 0");
        fails(() -> Tensor.zeros(2, 3).max(5, false), "max", "dimension out of range");
        // The meta backend runs the same checks, under the same name.
        fails(() -> Tensor.empty(DType.FLOAT32, Device.META, 0, 3).max(0, false), "max(): Expected reduction dim 0");
        assertArrayEquals(new int[] {0}, e.max(1, false).values().shape());
    }

    /** A hand-built window geometry is checked by the op's meta function, on every backend, before a kernel divides by its stride. */
    @Test
    void windowGeometriesAreCheckedByMetaFunctions() {
        Tensor x = Tensor.randn(1, 1, 4, 4);
        var zeroStride = new PoolKernels.MaxGeometry(4, 4, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1);
        fails(() -> NnOps.maxPool2d(zeroStride, x), "max_pool2d: stride should be greater than zero, but got [0, 0]");
        fails(() -> NnOps.maxPool2d(zeroStride, x.to(Device.META)), "max_pool2d: stride should be greater than zero");
        fails(() -> NnOps.maxPool2d(new PoolKernels.MaxGeometry(4, 4, 2, 2, 2, 2, 2, 2, 3, 3, 1, 1), x), "pad should be at most half");
        var zeroKernel = new ConvGeometry(1, 4, 4, 1, 5, 5, 0, 0, 1, 1, 0, 0, 1, 1, 1);
        fails(() -> NnOps.conv2d(zeroKernel, x, Tensor.randn(1, 1, 0, 0), null), "conv2d: kernel size should be greater than zero");
        var zeroGroups = new ConvGeometry(1, 4, 4, 1, 2, 2, 3, 3, 1, 1, 0, 0, 1, 1, 0);
        fails(() -> NnOps.conv2dWeight(zeroGroups, x, Tensor.randn(1, 1, 2, 2)), "conv2d_weight: non-positive groups");
    }
}
