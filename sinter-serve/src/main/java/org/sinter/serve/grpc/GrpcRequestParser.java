package org.sinter.serve.grpc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.Tensor;
import org.sinter.serve.DataType;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.config.TensorConfig;
import org.sinter.serve.grpc.v2.InferParameter;
import org.sinter.serve.grpc.v2.InferTensorContents;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.http.InferRequest;
import org.sinter.serve.http.InferRequestParser;
import org.sinter.serve.http.InputChecks;
import org.sinter.serve.http.TensorCodec;

/**
 * A gRPC {@code ModelInferRequest} checked against the version's config and turned into the same
 * {@link InferRequest} the REST endpoint builds: known input names, each once, the config's
 * datatype, a shape the input accepts (batch within the model's limit, one batch size across
 * inputs), at most the server's element limit, and contents that match the shape, either typed or
 * raw little-endian bytes for all inputs. Every refusal names the input and what is wrong.
 */
final class GrpcRequestParser {
    private GrpcRequestParser() {}

    static InferRequest parse(ModelInferRequest req, ModelConfig config, long maxElements) {
        boolean raw = req.getRawInputContentsCount() > 0;
        if (raw && req.getRawInputContentsCount() != req.getInputsCount()) {
            throw ServeException.badRequest("raw_input_contents holds " + req.getRawInputContentsCount() + " entries for "
                    + req.getInputsCount() + " inputs; give one per input, in order, or none");
        }
        Tensor[] out = new Tensor[config.inputs().size()];
        Set<String> seen = new HashSet<>();
        int batch = -1;
        for (int i = 0; i < req.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = req.getInputs(i);
            String field = "inputs[" + i + "]";
            TensorConfig want = InputChecks.input(config, in.getName(), seen, field);
            DataType dt;
            try {
                dt = DataType.parse(in.getDatatype().isEmpty() ? null : in.getDatatype(), field + ".datatype");
            } catch (IllegalArgumentException e) {
                throw ServeException.badRequest(e.getMessage());
            }
            InputChecks.datatype(dt, want, config, field);
            if (in.getShapeCount() > 8) throw ServeException.badRequest(field + ".shape: " + in.getShapeCount() + " dimensions is too many");
            int[] shape = new int[in.getShapeCount()];
            long count = 1;
            for (int d = 0; d < shape.length; d++) {
                long v = in.getShape(d);
                if (v < 0 || v > Integer.MAX_VALUE) throw ServeException.badRequest(field + ".shape[" + d + "] must be a non-negative int32, got " + v);
                shape[d] = (int) v;
                count *= v;
                if (count > maxElements) {
                    throw new ServeException(413, field + ": shape " + in.getShapeList() + " exceeds the server's limit of " + maxElements + " elements per tensor");
                }
            }
            InferRequestParser.checkShape(shape, want, config, field + ".shape");
            batch = InputChecks.batch(shape, batch, config, field);
            Tensor t;
            if (raw) {
                if (in.hasContents()) throw ServeException.badRequest(field + ": contents must be empty when raw_input_contents is used");
                ByteString bytes = req.getRawInputContents(i);
                if (bytes.size() != count * dt.byteSize) {
                    throw ServeException.badRequest("raw_input_contents[" + i + "] holds " + bytes.size() + " bytes but " + Arrays.toString(shape)
                            + " " + dt + " needs " + count * dt.byteSize);
                }
                t = TensorCodec.fromBinary(bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN), dt, (int) count, shape);
            } else {
                t = typed(in.getContents(), dt, (int) count, shape, field + ".contents");
            }
            out[config.inputs().indexOf(want)] = t;
        }
        InputChecks.allPresent(out, config);
        return new InferRequest(req.getId().isEmpty() ? null : req.getId(), out, outputs(req, config),
                (int) nonNegative(req.getParametersMap(), "priority", Integer.MAX_VALUE), nonNegative(req.getParametersMap(), "timeout", Long.MAX_VALUE / 1000));
    }

    /** Typed contents: the field the datatype reads from must hold exactly the shape's elements, the others nothing. */
    private static Tensor typed(InferTensorContents c, DataType dt, int count, int[] shape, String field) {
        int n = switch (dt) {
            case BOOL -> c.getBoolContentsCount();
            case INT32 -> c.getIntContentsCount();
            case INT64 -> c.getInt64ContentsCount();
            case FP32 -> c.getFp32ContentsCount();
            case FP64 -> c.getFp64ContentsCount();
        };
        int total = c.getBoolContentsCount() + c.getIntContentsCount() + c.getInt64ContentsCount() + c.getUintContentsCount()
                + c.getUint64ContentsCount() + c.getFp32ContentsCount() + c.getFp64ContentsCount() + c.getBytesContentsCount();
        if (n != count || total != n) {
            throw ServeException.badRequest(field + ": " + n + " " + dt + " elements" + (total != n ? " (and " + (total - n) + " of other types)" : "")
                    + " for shape " + Arrays.toString(shape) + ", which needs " + count);
        }
        ByteBuffer b = ByteBuffer.allocate(count * dt.byteSize).order(ByteOrder.LITTLE_ENDIAN);
        switch (dt) {
            case BOOL -> c.getBoolContentsList().forEach(v -> b.put((byte) (v ? 1 : 0)));
            case INT32 -> c.getIntContentsList().forEach(b::putInt);
            case INT64 -> c.getInt64ContentsList().forEach(b::putLong);
            case FP32 -> c.getFp32ContentsList().forEach(b::putFloat);
            case FP64 -> c.getFp64ContentsList().forEach(b::putDouble);
        }
        return TensorCodec.fromBinary(b.flip(), dt, count, shape);
    }

    private static List<InferRequest.RequestedOutput> outputs(ModelInferRequest req, ModelConfig config) {
        List<InferRequest.RequestedOutput> out = new ArrayList<>();
        if (req.getOutputsCount() == 0) {
            for (int k = 0; k < config.outputs().size(); k++) out.add(new InferRequest.RequestedOutput(config.outputs().get(k).name(), k, true));
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < req.getOutputsCount(); i++) {
            String field = "outputs[" + i + "]";
            InferParameter k = req.getOutputs(i).getParametersMap().get("classification");
            int classification = 0;
            if (k != null) {
                if (k.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.INT64_PARAM || k.getInt64Param() < 1
                        || k.getInt64Param() > Integer.MAX_VALUE) {
                    throw ServeException.badRequest(field + ".parameters.classification must be a positive int64_param, got " + k);
                }
                classification = (int) k.getInt64Param();
            }
            out.add(InputChecks.output(config, req.getOutputs(i).getName(), seen, field, true, classification));
        }
        return out;
    }

    private static long nonNegative(Map<String, InferParameter> params, String key, long max) {
        InferParameter p = params.get(key);
        if (p == null) return 0;
        if (p.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.INT64_PARAM || p.getInt64Param() < 0 || p.getInt64Param() > max) {
            throw ServeException.badRequest("parameters." + key + " must be a non-negative int64_param" + (max < Long.MAX_VALUE ? " up to " + max : "") + ", got " + p);
        }
        return p.getInt64Param();
    }
}
