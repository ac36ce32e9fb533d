package org.sinter.cuda.lab3;

import java.util.Arrays;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.autograd.Function;
import org.sinter.autograd.FunctionContext;
import org.sinter.cuda.CudaBackend;
import org.sinter.cuda.CudaDevice;
import org.sinter.cuda.KernelCache;
import org.sinter.cuda.Launch;

/**
 * Lab 3: Lab 2's custom linear operator ({@code org.sinter.autograd.examples.LinearFunction}) with
 * its forward and backward as CUDA kernels of its own ({@code kernels/lab3_linear.cu}), plus a bias:
 * {@code y = x·Wᵀ + b}, {@code dX = g·W}, {@code dW = gᵀ·x}, {@code db = Σᵢ gᵢ}. Autograd records it
 * like any Function; inputs are float32 CUDA tensors. Use as
 * {@code new CudaLinearFunction().apply1(x, w, b)} (b optional).
 */
public final class CudaLinearFunction extends Function {
    private static final String FILE = "lab3_linear.cu";

    @Override
    public String name() { return "cuda_linear"; }

    @Override
    protected Tensor[] forward(FunctionContext ctx, Tensor... in) {
        Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
        check(x, w, b);
        x = x.contiguous();
        w = w.contiguous();
        if (b != null) b = b.contiguous();
        int n = x.size(0), features = x.size(1), out = w.size(0);
        ctx.saveForBackward(x, w);
        ctx.put("bias", b != null);
        Tensor y = Tensor.empty(DType.FLOAT32, x.device(), n, out);
        CudaDevice dev = CudaDevice.get(x.device().index());
        Launch.of(kernel(dev, "linear_forward")).ptr(CudaBackend.address(x)).ptr(CudaBackend.address(w))
                .ptr(b == null ? 0L : CudaBackend.address(b)).ptr(CudaBackend.address(y)).i32(n).i32(features).i32(out)
                .grid((out + 15) / 16, (n + 15) / 16, 1).block(16, 16, 1).run(dev);
        return new Tensor[] {y};
    }

    @Override
    protected Tensor[] backward(FunctionContext ctx, Tensor... grads) {
        Tensor x = ctx.savedTensors().get(0), w = ctx.savedTensors().get(1), g = grads[0].contiguous();
        boolean bias = ctx.get("bias");
        int n = x.size(0), features = x.size(1), out = w.size(0);
        CudaDevice dev = CudaDevice.get(x.device().index());
        Tensor dx = null, dw = null, db = null;
        if (ctx.needsInputGrad(0)) {
            dx = Tensor.empty(DType.FLOAT32, x.device(), n, features);
            Launch.of(kernel(dev, "linear_backward_input")).ptr(CudaBackend.address(g)).ptr(CudaBackend.address(w))
                    .ptr(CudaBackend.address(dx)).i32(n).i32(features).i32(out)
                    .grid((features + 15) / 16, (n + 15) / 16, 1).block(16, 16, 1).run(dev);
        }
        if (ctx.needsInputGrad(1)) {
            dw = Tensor.empty(DType.FLOAT32, x.device(), out, features);
            Launch.of(kernel(dev, "linear_backward_weight")).ptr(CudaBackend.address(g)).ptr(CudaBackend.address(x))
                    .ptr(CudaBackend.address(dw)).i32(n).i32(features).i32(out)
                    .grid((features + 15) / 16, (out + 15) / 16, 1).block(16, 16, 1).run(dev);
        }
        if (bias && ctx.needsInputGrad(2)) {
            db = Tensor.empty(DType.FLOAT32, x.device(), out);
            Launch.of(kernel(dev, "linear_backward_bias")).ptr(CudaBackend.address(g)).ptr(CudaBackend.address(db)).i32(n).i32(out)
                    .grid((out + 7) / 8, 1, 1).block(32, 8, 1).run(dev);
        }
        return bias ? new Tensor[] {dx, dw, db} : new Tensor[] {dx, dw};
    }

    private static KernelCache.Kernel kernel(CudaDevice dev, String name) {
        return dev.kernels().resource(FILE, name);
    }

    private static void check(Tensor x, Tensor w, Tensor b) {
        boolean ok = x.dim() == 2 && w.dim() == 2 && x.size(1) == w.size(1) && (b == null || (b.dim() == 1 && b.size(0) == w.size(0)));
        if (!ok) {
            throw new IllegalArgumentException("cuda_linear: expected x [N, in], W [out, in] and b [out], got " + Arrays.toString(x.shape())
                    + ", " + Arrays.toString(w.shape()) + (b == null ? "" : " and " + Arrays.toString(b.shape())));
        }
        for (Tensor t : b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b}) {
            if (t.dtype() != DType.FLOAT32 || t.device().type() != Device.Type.CUDA) {
                throw new IllegalArgumentException("cuda_linear: expected float32 CUDA tensors, got " + t.describe() + " on " + t.device());
            }
        }
    }
}
