package org.sinter.distributed;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The handle of an asynchronous collective (PyTorch's {@code Work}): the tensors it writes may be
 * read once {@link #await()} returns. Collectives of one group run one at a time, in the order
 * they were issued, on the group's communication thread.
 */
public final class Work {
    private final CompletableFuture<Void> done;

    Work(CompletableFuture<Void> done) {
        this.done = done;
    }

    /** Blocks until the collective finished; rethrows its failure (a timeout or a failed peer). */
    public void await() {
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new CompletionException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a collective", e);
        }
    }

    public boolean isCompleted() {
        return done.isDone();
    }

    /** For chaining (a DDP communication hook's continuation). */
    public CompletableFuture<Void> future() {
        return done;
    }
}
