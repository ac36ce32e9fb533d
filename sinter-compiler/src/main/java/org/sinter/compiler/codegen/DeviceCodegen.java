package org.sinter.compiler.codegen;

import java.util.ServiceLoader;
import org.sinter.Device;
import org.sinter.Tensor;

/**
 * The code generator of an accelerator: turns the compiler's fusion groups into that device's
 * kernels (the GPU backend writes CUDA C), as the Java code generator does for the CPU. A backend
 * module provides one through {@link ServiceLoader}; a program for a device without one runs every
 * node through the engine's dispatch (on that device's backend), unfused.
 */
public interface DeviceCodegen {
    /** The kind of device whose tensors this generator's kernels read and write. */
    Device.Type deviceType();

    /**
     * A kernel computing {@code group} (every member float32, see {@link FusionGroup}), or null
     * when this device cannot run it as one kernel (its members then run one by one).
     */
    DeviceKernel compile(FusionGroup group);

    /** One generated kernel of a fusion group. */
    interface DeviceKernel {
        /**
         * Writes the group's {@code outputs} (new dense tensors of the group's shape on the device)
         * from its {@code inputs} (tensors on the device, broadcastable to the shape, any strides)
         * and its scalar constants, in the group's orders.
         */
        void run(Tensor[] inputs, float[] scalars, Tensor[] outputs);

        /** A short name for listings (e.g. the generated function's). */
        String name();
    }

    /** The generator for tensors of {@code device}'s type, or null when no module provides one. */
    static DeviceCodegen forDevice(Device device) {
        for (DeviceCodegen c : ServiceLoader.load(DeviceCodegen.class)) if (c.deviceType() == device.type()) return c;
        return null;
    }
}
