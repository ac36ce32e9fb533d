package org.sinter.serve.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.sinter.Tensor;
import org.sinter.serve.ServeException;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.config.TensorConfig;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;
import org.sinter.serve.grpc.v2.ModelMetadataRequest;
import org.sinter.serve.grpc.v2.ModelMetadataResponse;
import org.sinter.serve.grpc.v2.ModelReadyRequest;
import org.sinter.serve.grpc.v2.ModelReadyResponse;
import org.sinter.serve.grpc.v2.ModelStreamInferResponse;
import org.sinter.serve.grpc.v2.RepositoryIndexRequest;
import org.sinter.serve.grpc.v2.RepositoryIndexResponse;
import org.sinter.serve.grpc.v2.RepositoryModelLoadRequest;
import org.sinter.serve.grpc.v2.RepositoryModelLoadResponse;
import org.sinter.serve.grpc.v2.RepositoryModelUnloadRequest;
import org.sinter.serve.grpc.v2.RepositoryModelUnloadResponse;
import org.sinter.serve.grpc.v2.ServerLiveRequest;
import org.sinter.serve.grpc.v2.ServerLiveResponse;
import org.sinter.serve.grpc.v2.ServerMetadataRequest;
import org.sinter.serve.grpc.v2.ServerMetadataResponse;
import org.sinter.serve.grpc.v2.ServerReadyRequest;
import org.sinter.serve.grpc.v2.ServerReadyResponse;
import org.sinter.serve.http.Classification;
import org.sinter.serve.http.InferRequest;
import org.sinter.serve.http.InferenceService;
import org.sinter.serve.http.TensorCodec;
import org.sinter.serve.repository.LoadedVersion;
import org.sinter.serve.repository.ModelRepository;

/**
 * The Open Inference Protocol's gRPC endpoint ({@code inference.GRPCInferenceService}) beside the
 * REST one, over the same repository, batchers and metrics. Outputs travel as
 * {@code raw_output_contents} (little-endian bytes, as Triton answers); inputs may be typed or raw.
 * Refusals map to gRPC codes as the protocol's REST statuses do: 400 and 413 to
 * {@code INVALID_ARGUMENT}, 404 to {@code NOT_FOUND}, a full queue (429) to
 * {@code RESOURCE_EXHAUSTED}, 503 to {@code UNAVAILABLE}, a failing model to {@code INTERNAL}; the
 * message is the REST one. Beside the protocol's RPCs it serves Triton's extensions of the same
 * service: {@code ModelStreamInfer} ({@link StreamInfer}) and the model repository RPCs
 * ({@link RepositoryRpcs}). Calls run on virtual threads (an infer waits on its batcher), and a
 * message larger than the element limit allows is refused by gRPC before it is parsed.
 */
public final class GrpcInferenceServer implements AutoCloseable {
    static final String SERVICE = "inference.GRPCInferenceService";

    private final ModelRepository repository;
    private final InferenceService service;
    private final long maxElements;
    private final BooleanSupplier ready;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final RepositoryRpcs repositoryRpcs;
    private final Server server;

    public GrpcInferenceServer(ModelRepository repository, InferenceService service, long maxElements, BooleanSupplier ready,
                               InetSocketAddress bind) throws IOException {
        this.repository = repository;
        this.service = service;
        this.maxElements = maxElements;
        this.ready = ready;
        this.repositoryRpcs = new RepositoryRpcs(repository);
        // The largest request: one tensor of maxElements 8-byte values, plus framing.
        int maxMessage = (int) Math.min(Integer.MAX_VALUE - 1024, maxElements * 8 + (1 << 20));
        this.server = NettyServerBuilder.forAddress(bind).executor(executor).maxInboundMessageSize(maxMessage)
                .addService(definition()).build().start();
    }

    public int port() {
        return server.getPort();
    }

    private ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(handler("ServerLive", ServerLiveRequest.getDefaultInstance(), ServerLiveResponse.getDefaultInstance(),
                        (ServerLiveRequest r) -> ServerLiveResponse.newBuilder().setLive(true).build()))
                .addMethod(handler("ServerReady", ServerReadyRequest.getDefaultInstance(), ServerReadyResponse.getDefaultInstance(),
                        (ServerReadyRequest r) -> ServerReadyResponse.newBuilder().setReady(ready.getAsBoolean()).build()))
                .addMethod(handler("ModelReady", ModelReadyRequest.getDefaultInstance(), ModelReadyResponse.getDefaultInstance(),
                        this::modelReady))
                .addMethod(handler("ServerMetadata", ServerMetadataRequest.getDefaultInstance(), ServerMetadataResponse.getDefaultInstance(),
                        (ServerMetadataRequest r) -> ServerMetadataResponse.newBuilder().setName("sinter").setVersion("0.1.0")
                                .addExtensions("model_repository").build()))
                .addMethod(handler("ModelMetadata", ModelMetadataRequest.getDefaultInstance(), ModelMetadataResponse.getDefaultInstance(),
                        this::modelMetadata))
                .addMethod(handler("ModelInfer", ModelInferRequest.getDefaultInstance(), ModelInferResponse.getDefaultInstance(),
                        this::modelInfer))
                .addMethod(ServerMethodDefinition.create(rawStreamMethod(),
                        ServerCalls.asyncBidiStreamingCall(out -> new StreamInfer(out, this::modelInfer, executor))))
                .addMethod(handler("RepositoryIndex", RepositoryIndexRequest.getDefaultInstance(),
                        RepositoryIndexResponse.getDefaultInstance(), repositoryRpcs::index))
                .addMethod(handler("RepositoryModelLoad", RepositoryModelLoadRequest.getDefaultInstance(),
                        RepositoryModelLoadResponse.getDefaultInstance(), repositoryRpcs::load))
                .addMethod(handler("RepositoryModelUnload", RepositoryModelUnloadRequest.getDefaultInstance(),
                        RepositoryModelUnloadResponse.getDefaultInstance(), repositoryRpcs::unload))
                .build();
    }

    /** The descriptor of the service's unary method {@code name}, for the server and for clients (the load generator). */
    public static <Q extends Message, A extends Message> MethodDescriptor<Q, A> method(String name, Q request, A response) {
        return MethodDescriptor.<Q, A>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request)).setResponseMarshaller(ProtoUtils.marshaller(response)).build();
    }

    /** The client side of {@code ModelStreamInfer}: a stream of requests answered by a stream of responses. */
    static MethodDescriptor<ModelInferRequest, ModelStreamInferResponse> streamMethod() {
        return MethodDescriptor.<ModelInferRequest, ModelStreamInferResponse>newBuilder().setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "ModelStreamInfer"))
                .setRequestMarshaller(ProtoUtils.marshaller(ModelInferRequest.getDefaultInstance()))
                .setResponseMarshaller(ProtoUtils.marshaller(ModelStreamInferResponse.getDefaultInstance())).build();
    }

    /** The server side of {@code ModelStreamInfer} takes each request as bytes, for the reason {@link #handler} gives. */
    private static MethodDescriptor<byte[], ModelStreamInferResponse> rawStreamMethod() {
        return MethodDescriptor.<byte[], ModelStreamInferResponse>newBuilder().setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "ModelStreamInfer"))
                .setRequestMarshaller(RawBytes.MARSHALLER)
                .setResponseMarshaller(ProtoUtils.marshaller(ModelStreamInferResponse.getDefaultInstance())).build();
    }

    /**
     * The server side of a method takes the request as raw bytes and parses it inside the handler: grpc-java's
     * protobuf marshaller would fail a corrupted request with UNKNOWN ("Application error"), a server fault, where
     * the client sent bad bytes (INVALID_ARGUMENT).
     */
    private static <Q extends Message, A extends Message> ServerMethodDefinition<byte[], A> handler(String name, Q request, A response,
                                                                                                    Function<Q, A> body) {
        MethodDescriptor<byte[], A> raw = MethodDescriptor.<byte[], A>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(ProtoUtils.marshaller(response)).build();
        return ServerMethodDefinition.create(raw, unary((byte[] bytes) -> body.apply(parse(name, request, bytes))));
    }

    @SuppressWarnings("unchecked")
    private static <Q extends Message> Q parse(String name, Q prototype, byte[] bytes) {
        try {
            return (Q) prototype.getParserForType().parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw ServeException.badRequest(name + ": the request is not a valid " + prototype.getDescriptorForType().getName()
                    + " message (" + bytes.length + " bytes): " + e.getMessage());
        }
    }

    /** A unary handler whose refusals become gRPC statuses. */
    private static <Q, A> io.grpc.ServerCallHandler<Q, A> unary(Function<Q, A> body) {
        return ServerCalls.asyncUnaryCall((Q request, StreamObserver<A> out) -> {
            A reply;
            try {
                reply = body.apply(request);
            } catch (ServeException e) {
                out.onError(status(e.status).withDescription(e.getMessage()).asRuntimeException());
                return;
            } catch (IllegalArgumentException e) {
                out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                return;
            } catch (RuntimeException e) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
                return;
            }
            out.onNext(reply);
            out.onCompleted();
        });
    }

    static Status status(int http) {
        return switch (http) {
            case 400, 413 -> Status.INVALID_ARGUMENT;
            case 404 -> Status.NOT_FOUND;
            case 429 -> Status.RESOURCE_EXHAUSTED;
            case 503 -> Status.UNAVAILABLE;
            default -> Status.INTERNAL;
        };
    }

    private static Long version(String v, String field) {
        if (v.isEmpty()) return null;
        try {
            long x = Long.parseLong(v);
            if (x < 1) throw new NumberFormatException();
            return x;
        } catch (NumberFormatException e) {
            throw ServeException.badRequest(field + " must be a positive integer version, got '" + v + "'");
        }
    }

    private ModelReadyResponse modelReady(ModelReadyRequest r) {
        Long v = version(r.getVersion(), "version");
        try {
            repository.get(r.getName(), v);
            return ModelReadyResponse.newBuilder().setReady(true).build();
        } catch (ServeException e) {
            return ModelReadyResponse.newBuilder().setReady(false).build();
        }
    }

    private ModelMetadataResponse modelMetadata(ModelMetadataRequest r) {
        Long version = version(r.getVersion(), "version");
        LoadedVersion v = repository.get(r.getName(), version);
        ModelConfig c = v.config();
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(c.name()).setPlatform(c.platform());
        if (version != null) b.addVersions(version.toString());
        else for (long x : repository.versions(r.getName())) b.addVersions(Long.toString(x));
        for (TensorConfig t : c.inputs()) b.addInputs(tensor(c, t));
        for (TensorConfig t : c.outputs()) b.addOutputs(tensor(c, t));
        return b.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(ModelConfig c, TensorConfig t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder().setName(t.name()).setDatatype(t.datatype().name());
        if (c.batching()) b.addShape(-1);
        for (int d : t.shape()) b.addShape(d);
        return b.build();
    }

    private ModelInferResponse modelInfer(ModelInferRequest r) {
        if (r.getModelName().isEmpty()) throw ServeException.badRequest("model_name is missing");
        Long version = version(r.getModelVersion(), "model_version");
        InferenceService.Result res = service.infer(r.getModelName(), version, v -> GrpcRequestParser.parse(r, v.config(), maxElements));
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(res.version().name())
                .setModelVersion(Long.toString(res.version().version()));
        if (res.request().id() != null) b.setId(res.request().id());
        List<InferRequest.RequestedOutput> outs = res.request().outputs();
        for (InferRequest.RequestedOutput o : outs) {
            Tensor t = res.outputs()[o.index()];
            if (o.classification() > 0) {
                var ic = res.version().config().imageClassifier();
                Classification k = Classification.of(t, o.classification(), res.version().config().batching(), ic == null ? List.of() : ic.labels());
                ModelInferResponse.InferOutputTensor.Builder ob = ModelInferResponse.InferOutputTensor.newBuilder().setName(o.name()).setDatatype("BYTES");
                for (int d : k.shape()) ob.addShape(d);
                b.addOutputs(ob);
                b.addRawOutputContents(ByteString.copyFrom(k.toBinary()));
                continue;
            }
            ModelInferResponse.InferOutputTensor.Builder ob = ModelInferResponse.InferOutputTensor.newBuilder().setName(o.name())
                    .setDatatype(res.version().config().outputs().get(o.index()).datatype().name());
            for (int d : t.shape()) ob.addShape(d);
            b.addOutputs(ob);
            b.addRawOutputContents(ByteString.copyFrom(TensorCodec.toBinary(t)));
        }
        return b.build();
    }

    /** Stops taking calls, lets running ones finish for up to {@code seconds}, then cancels the rest. */
    public void shutdown(long seconds) throws InterruptedException {
        server.shutdown();
        if (!server.awaitTermination(seconds, TimeUnit.SECONDS)) server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        executor.shutdownNow();
    }

    @Override
    public void close() {
        try {
            shutdown(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
        }
    }
}
