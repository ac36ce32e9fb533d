// Tensor-API cases of the hardening issue, run against the built jars: each op must be rejected
// with a clear exception (not silently compute, not crash with an internal error).
// Prints one line per case: PASS|FAIL  core  <case>  (what happened). Exit 1 if any fails.
// Usage: java --source 25 --add-modules jdk.incubator.vector -cp sinter.jar TensorCases.java
import java.util.function.Supplier;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.nn.MaxPool2d;

public class TensorCases {
    static int failures;

    static void line(boolean ok, String name, String what) {
        System.out.println((ok ? "PASS" : "FAIL") + "  core  " + name + "  (" + what + ")");
        if (!ok) failures++;
    }

    /** The op must throw a clear exception (not an internal crash such as ArithmeticException), whose message contains {@code must}. */
    static void mustThrow(String name, String must, Supplier<Object> op) {
        try {
            Object r = op.get();
            line(false, name, "no exception; returned " + (r instanceof Tensor t ? "a tensor " + java.util.Arrays.toString(t.shape()) : r));
        } catch (ArithmeticException | NullPointerException | ClassCastException | ArrayIndexOutOfBoundsException e) {
            line(false, name, "internal error " + e);
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            boolean ok = m.toLowerCase().contains(must);
            line(ok, name, e.getClass().getSimpleName() + ": " + (m.length() > 90 ? m.substring(0, 90) + "..." : m)
                    + (ok ? "" : " (expected it to mention '" + must + "')"));
        }
    }

    public static void main(String[] args) {
        mustThrow("ones(1,3).expand(4,3).add_(1.0)", "overlap", () -> Tensor.ones(1, 3).expand(4, 3).add_(1.0));
        Tensor x = Tensor.randn(3, 3);
        mustThrow("x.mul_(x.t())", "", () -> x.mul_(x.t()));
        Tensor y = Tensor.randn(3, 3);
        mustThrow("x.copy_(x.t())", "", () -> y.copy_(y.t()));
        mustThrow("randn(2,3).narrow(1,2,5)", "", () -> Tensor.randn(2, 3).narrow(1, 2, 5));
        mustThrow("randn(2,3).narrow(1,0,-1)", "", () -> Tensor.randn(2, 3).narrow(1, 0, -1));
        Tensor neg = Tensor.of(new long[] {-1}, 1, 1);
        mustThrow("gather(1, [[-1]])", "", () -> Tensor.randn(2, 3).gather(1, neg));
        mustThrow("indexSelect(0, [-1])", "", () -> Tensor.randn(2, 3).indexSelect(0, Tensor.of(new long[] {-1}, 1)));
        mustThrow("scatter(1, [[-1]], src)", "", () -> Tensor.zeros(2, 3).scatter(1, neg, Tensor.ones(1, 1)));
        mustThrow("full(NaN, INT32)", "", () -> Tensor.full(Double.NaN, DType.INT32, 2));
        mustThrow("full(1e20, INT32)", "", () -> Tensor.full(1e20, DType.INT32, 2));
        try {
            Object n = Tensor.ones(1, 1).expand(100000, 100000).numel();
            line(n instanceof Long l && l == 10_000_000_000L, "ones(1,1).expand(100000,100000).numel()",
                    "returned " + n + " (" + n.getClass().getSimpleName() + "), expected 10000000000L");
        } catch (RuntimeException e) {
            line(false, "ones(1,1).expand(100000,100000).numel()", "threw " + e);
        }
        mustThrow("MaxPool2d(0)", "", () -> new MaxPool2d(0).forward(Tensor.randn(1, 1, 4, 4)));
        System.exit(failures == 0 ? 0 : 1);
    }
}
