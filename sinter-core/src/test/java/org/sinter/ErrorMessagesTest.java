package org.sinter;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

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
}
