package org.sinter.serve.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.sinter.serve.ServeException;
import org.sinter.serve.grpc.v2.ModelInferRequest;
import org.sinter.serve.grpc.v2.ModelInferResponse;
import org.sinter.serve.grpc.v2.ModelStreamInferResponse;

/**
 * One {@code ModelStreamInfer} call, Triton's streaming inference: the client sends infer requests on
 * one stream and the server answers each with a {@code ModelStreamInferResponse} on the other, in
 * the order the answers are ready (the request's {@code id} comes back to pair them). Requests of a
 * stream run concurrently, so the dynamic batcher can batch them together. A request that fails is
 * answered with its {@code error_message} (the REST message) and the stream goes on; when the client
 * half-closes, the server completes the stream once every request has been answered. At most
 * {@link #MAX_IN_FLIGHT} requests of one stream run at once: beyond that the stream stops reading
 * until one is answered, so a fast client cannot make the server hold unbounded work.
 */
final class StreamInfer implements StreamObserver<byte[]> {
    static final int MAX_IN_FLIGHT = 256;

    private final ServerCallStreamObserver<ModelStreamInferResponse> out;
    private final Function<ModelInferRequest, ModelInferResponse> infer;
    private final ExecutorService executor;
    private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    private final Object lock = new Object();
    private int inFlight;
    private boolean halfClosed;
    private boolean finished;

    StreamInfer(StreamObserver<ModelStreamInferResponse> out, Function<ModelInferRequest, ModelInferResponse> infer, ExecutorService executor) {
        this.out = (ServerCallStreamObserver<ModelStreamInferResponse>) out;
        this.infer = infer;
        this.executor = executor;
        // Read requests one by one, asking for the next only when a slot is free (flow control).
        this.out.disableAutoRequest();
        this.out.request(1);
    }

    @Override
    public void onNext(byte[] bytes) {
        synchronized (lock) {
            inFlight++;
        }
        boolean more = slots.tryAcquire();
        executor.execute(() -> {
            try {
                answer(bytes);
            } finally {
                if (more) slots.release();
                else out.request(1);  // this request ran without a slot; reading resumes now it is done
                done();
            }
        });
        if (more) out.request(1);
    }

    private void answer(byte[] bytes) {
        ModelStreamInferResponse reply;
        try {
            ModelInferRequest request;
            try {
                request = ModelInferRequest.parseFrom(bytes);
            } catch (InvalidProtocolBufferException e) {
                throw ServeException.badRequest("ModelStreamInfer: a request is not a valid ModelInferRequest message (" + bytes.length
                        + " bytes): " + e.getMessage());
            }
            reply = ModelStreamInferResponse.newBuilder().setInferResponse(infer.apply(request)).build();
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            reply = ModelStreamInferResponse.newBuilder().setErrorMessage(message).build();
        }
        synchronized (lock) {
            if (!finished && !out.isCancelled()) out.onNext(reply);  // StreamObserver is not thread-safe
        }
    }

    private void done() {
        synchronized (lock) {
            inFlight--;
            if (halfClosed && inFlight == 0 && !finished) {
                finished = true;
                if (!out.isCancelled()) out.onCompleted();
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        // The client cancelled or the connection broke: answers still running are dropped.
        synchronized (lock) {
            finished = true;
        }
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            halfClosed = true;
            if (inFlight == 0 && !finished) {
                finished = true;
                out.onCompleted();
            }
        }
    }
}
