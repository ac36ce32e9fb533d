package org.sinter.serve.grpc;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.sinter.serve.TestRepository;
import org.sinter.serve.http.InferenceServer;
import org.sinter.serve.metrics.ServerMetrics;
import org.sinter.serve.repository.ModelRepository;

/**
 * The gRPC tests' server: the model repository at {@code root} (models already written there),
 * the HTTP server whose service it shares and the gRPC endpoint on loopback ports, with a
 * grpc-java channel to it. Closing stops them all.
 */
final class GrpcLoopback implements AutoCloseable {
    final ModelRepository repo;
    final InferenceServer http;
    final GrpcInferenceServer grpc;
    final ManagedChannel channel;

    GrpcLoopback(Path root) throws Exception {
        ServerMetrics metrics = new ServerMetrics();
        repo = new ModelRepository(root, TestRepository.FACTORY, metrics::observer);
        repo.loadAll();
        http = new InferenceServer(repo, metrics, new InferenceServer.Options("127.0.0.1", 0, 1 << 16, 1 << 12, 5000, null)).start();
        grpc = new GrpcInferenceServer(repo, http.service(), 1 << 12, http::isReady, new InetSocketAddress("127.0.0.1", 0));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.port()).usePlaintext().build();
    }

    /** A unary call of the method {@code name}, with a generous deadline (a hang guard, not a speed check). */
    <Q extends Message, A extends Message> A call(String name, Q request, A responseType) {
        MethodDescriptor<Q, A> m = GrpcInferenceServer.method(name, request, responseType);
        return ClientCalls.blockingUnaryCall(channel, m, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS), request);
    }

    @Override
    public void close() {
        try {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        grpc.close();
        http.close();
        repo.close();
    }
}
