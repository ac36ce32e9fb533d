package org.sinter.compiler.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.compiler.ir.Value;

/**
 * A fusion group run as one kernel of an accelerator's code generator ({@link DeviceCodegen}):
 * reads the group's inputs where they are on the device, writes its outputs into new device
 * tensors (the device's caching allocator recycles them, as PyTorch's does for its kernels).
 */
final class DeviceFusedStep implements ProgramStep {
    private final FusionGroup group;
    private final DeviceCodegen.DeviceKernel kernel;
    private final Device device;

    DeviceFusedStep(FusionGroup group, DeviceCodegen.DeviceKernel kernel, Device device) {
        this.group = group;
        this.kernel = kernel;
        this.device = device;
    }

    FusionGroup group() { return group; }

    String kernelName() { return kernel.name(); }

    @Override
    public List<Value> reads() {
        List<Value> r = new ArrayList<>(group.inputs());
        r.addAll(group.scalars());
        return r;
    }

    @Override public List<Value> writes() { return group.outputs(); }

    @Override
    public void run(Map<Value, Tensor> env, Outputs out) {
        Tensor[] inputs = ProgramStep.lookUp(group.inputs(), env);
        float[] scalars = new float[group.scalars().size()];
        for (int i = 0; i < scalars.length; i++) scalars[i] = (float) env.get(group.scalars().get(i)).item();
        Tensor[] outputs = new Tensor[group.outputs().size()];
        for (int o = 0; o < outputs.length; o++) outputs[o] = Tensor.empty(DType.FLOAT32, device, group.outputs().get(o).shape());
        kernel.run(inputs, scalars, outputs);
        ProgramStep.bind(group.outputs(), outputs, env);
    }
}
