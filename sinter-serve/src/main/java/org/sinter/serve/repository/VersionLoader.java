package org.sinter.serve.repository;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.serve.batching.BatchObserver;
import org.sinter.serve.batching.DynamicBatcher;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.config.TensorConfig;
import org.sinter.serve.runtime.CompiledRunner;
import org.sinter.serve.runtime.ModelFactory;
import org.sinter.serve.runtime.ModelRunner;
import org.sinter.serve.runtime.ModuleRunner;
import org.sinter.serve.runtime.OnnxRunner;

/**
 * Turns one version directory into a running {@link LoadedVersion}: builds {@code instance_count}
 * copies of the model, loads the weights into each, and checks with one warm-up sample that the
 * model's output agrees with the config, so a wrong config fails at load time rather than per request.
 */
final class VersionLoader {
    private final ModelFactory factory;
    private final BiFunction<String, Long, BatchObserver> observers;

    VersionLoader(ModelFactory factory, BiFunction<String, Long, BatchObserver> observers) {
        this.factory = factory;
        this.observers = observers;
    }

    LoadedVersion load(String name, long version, Path dir, ModelConfig config) throws IOException {
        if (config.platform().equals("onnx")) return loadOnnx(name, version, dir, config);
        Map<String, Tensor> weights = WeightsLoader.read(dir, config.model());
        List<ModelRunner> instances = new ArrayList<>();
        for (int i = 0; i < config.instanceCount(); i++) {
            Module m = factory.create(config.model());
            WeightsLoader.into(m, weights, dir);
            ModelRunner r = config.platform().equals("sinter-compiled") ? new CompiledRunner(m) : new ModuleRunner(m);
            if (i == 0) warmUp(r, config, dir);
            instances.add(r);
        }
        return new LoadedVersion(name, version, config,
                new DynamicBatcher(name + "/" + version, instances, config.maxBatchSize(), config.dynamicBatching(), observers.apply(name, version)));
    }

    /** An ONNX version: {@code model.onnx} in the version directory, imported once per instance. */
    private LoadedVersion loadOnnx(String name, long version, Path dir, ModelConfig config) {
        Path file = dir.resolve("model.onnx");
        if (!java.nio.file.Files.isRegularFile(file)) throw new IllegalArgumentException(dir + ": platform 'onnx' needs a model.onnx here");
        List<String> in = config.inputs().stream().map(TensorConfig::name).toList(), out = config.outputs().stream().map(TensorConfig::name).toList();
        List<ModelRunner> instances = new ArrayList<>();
        for (int i = 0; i < config.instanceCount(); i++) {
            ModelRunner r = new OnnxRunner(file, in, out);
            if (i == 0) warmUp(r, config, dir);
            instances.add(r);
        }
        return new LoadedVersion(name, version, config,
                new DynamicBatcher(name + "/" + version, instances, config.maxBatchSize(), config.dynamicBatching(), observers.apply(name, version)));
    }

    /** Runs one sample of zeros (wildcard dimensions as 1) and checks the output's dtype and shape. */
    private static void warmUp(ModelRunner r, ModelConfig config, Path dir) {
        Tensor[] in = new Tensor[config.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            TensorConfig t = config.inputs().get(i);
            in[i] = Tensor.zeros(t.datatype().dtype, withBatch(t.shape(), config.batching()));
        }
        Tensor[] out;
        try {
            out = r.run(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(dir + ": the model rejects an input shaped as config.json declares ("
                    + config.inputs() + "): " + e.getMessage(), e);
        }
        for (int o = 0; o < config.outputs().size(); o++) {
            TensorConfig t = config.outputs().get(o);
            int[] s = out[o].shape();
            int[] item = config.batching() ? Arrays.copyOfRange(s, 1, s.length) : s;
            if (!t.accepts(item) || (config.batching() && s[0] != 1)) {
                throw new IllegalArgumentException(dir + ": output '" + t.name() + "' is declared " + Arrays.toString(t.shape())
                        + (config.batching() ? " (per sample)" : "") + " but the model gives " + Arrays.toString(s));
            }
            if (out[o].dtype() != t.datatype().dtype) {
                throw new IllegalArgumentException(dir + ": output '" + t.name() + "' is declared " + t.datatype() + " but the model gives "
                        + out[o].dtype());
            }
        }
    }

    private static int[] withBatch(int[] shape, boolean batching) {
        int[] s = new int[shape.length + (batching ? 1 : 0)];
        int k = 0;
        if (batching) s[k++] = 1;
        for (int d : shape) s[k++] = d == -1 ? 1 : d;
        return s;
    }
}
