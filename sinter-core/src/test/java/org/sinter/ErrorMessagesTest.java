package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sinter.ops.IndexOps;

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
    }
}
