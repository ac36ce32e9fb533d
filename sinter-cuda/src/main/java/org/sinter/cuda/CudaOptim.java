package org.sinter.cuda;

import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.kernels.optim.AdadeltaKernel;
import org.sinter.kernels.optim.AdamKernel;
import org.sinter.kernels.optim.SgdKernel;
import org.sinter.ops.OptimOps;

/**
 * The fused optimizer steps on the GPU ({@code optim.cu}): one pass over parameter, gradient and
 * state per step, with the CPU kernels' float32 operations in the same order, so a step gives the
 * same bits on both devices. The per-step scalars are computed here exactly as the CPU kernels do.
 */
final class CudaOptim {
    private static final int BLOCK = 256;

    private CudaOptim() {}

    private static boolean dense32(Tensor[] in) {
        for (Tensor t : in) if (t.dtype() != DType.FLOAT32 || !t.isContiguous() || t.device().type() != org.sinter.Device.Type.CUDA) return false;
        return true;
    }

    static boolean sgd(OptimOps.SgdUpdate op, Tensor[] in) {
        if (!dense32(in)) return false;
        SgdKernel.Hyper h = op.h();
        int n = Math.toIntExact(in[0].numel());
        if (n == 0) return true;
        CudaDevice dev = CudaBackend.deviceOf(in[0]);
        Launch.of(dev.kernels().resource("optim.cu", "sgd_update_f32"))
                .ptr(CudaBackend.address(in[0])).ptr(CudaBackend.address(in[1])).ptr(CudaBackend.address(in[2])).i32(n)
                .f32(h.maximize() ? -1f : 1f).f32((float) h.weightDecay()).f32((float) h.momentum())
                .f32((float) (1 - h.dampening())).f32((float) -h.lr()).i32(h.first() ? 1 : 0).i32(h.nesterov() ? 1 : 0)
                .grid(Launch.blocksFor(n, BLOCK, dev)).block(BLOCK).run(dev);
        return true;
    }

    static boolean adam(OptimOps.AdamUpdate op, Tensor[] in) {
        if (!dense32(in)) return false;
        AdamKernel.Hyper h = op.h();
        int n = Math.toIntExact(in[0].numel());
        if (n == 0) return true;
        CudaDevice dev = CudaBackend.deviceOf(in[0]);
        Launch.of(dev.kernels().resource("optim.cu", "adam_update_f32"))
                .ptr(CudaBackend.address(in[0])).ptr(CudaBackend.address(in[1])).ptr(CudaBackend.address(in[2]))
                .ptr(CudaBackend.address(in[3])).ptr(in.length > 4 ? CudaBackend.address(in[4]) : 0L).i32(n)
                .f32((float) h.beta1()).f32((float) h.beta2()).f32((float) (1 - h.beta1())).f32((float) (1 - h.beta2()))
                .f32((float) h.eps()).f32((float) h.l2()).f32((float) h.decoupledDecay()).f32(h.maximize() ? -1f : 1f)
                .f32((float) (h.lr() / (1 - Math.pow(h.beta1(), h.step()))))
                .f32((float) Math.sqrt(1 - Math.pow(h.beta2(), h.step())))
                .grid(Launch.blocksFor(n, BLOCK, dev)).block(BLOCK).run(dev);
        return true;
    }

    static boolean adadelta(OptimOps.AdadeltaUpdate op, Tensor[] in) {
        if (!dense32(in)) return false;
        AdadeltaKernel.Hyper h = op.h();
        int n = Math.toIntExact(in[0].numel());
        if (n == 0) return true;
        CudaDevice dev = CudaBackend.deviceOf(in[0]);
        Launch.of(dev.kernels().resource("optim.cu", "adadelta_update_f32"))
                .ptr(CudaBackend.address(in[0])).ptr(CudaBackend.address(in[1])).ptr(CudaBackend.address(in[2]))
                .ptr(CudaBackend.address(in[3])).i32(n)
                .f32(h.maximize() ? -1f : 1f).f32((float) h.weightDecay()).f32((float) h.rho()).f32((float) (1 - h.rho()))
                .f32((float) h.eps()).f32((float) -h.lr())
                .grid(Launch.blocksFor(n, BLOCK, dev)).block(BLOCK).run(dev);
        return true;
    }
}
