package org.sinter.distributed.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A TCP link moves heap arrays and native memory in place (Linux), and fails naming the peer. */
class TcpLinkTest {
    private static final long DEADLINE = 30_000_000_000L;

    /** Two links over one loopback connection: [0] is rank 0's end, [1] rank 1's. */
    private static TcpLink[] pair() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel dialed = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            return new TcpLink[] {new TcpLink(1, "rank 0", accepted), new TcpLink(0, "rank 1", dialed)};
        }
    }

    @Test
    void heapArraysAndNativeMemoryArriveIntactInPlace() throws Exception {
        TcpLink[] links = pair();
        try {
            assertFalse(links[0].stagesHeap(), "on Linux a heap segment should be read and written in place");
            // More than the socket buffers and than one call moves, so sends wait for room and
            // receives for data; a slice at an odd offset, so the arrays' offsets are honoured.
            int n = 3 << 20;
            float[] src = new float[n + 7];
            for (int i = 0; i < src.length; i++) src[i] = i * 0.5f - 3;
            MemorySegment out = MemorySegment.ofArray(src).asSlice(7L * Float.BYTES);
            float[] dst = new float[n + 3];
            MemorySegment in = MemorySegment.ofArray(dst).asSlice(3L * Float.BYTES);
            long deadline = System.nanoTime() + DEADLINE;
            CompletableFuture<Void> send = CompletableFuture.runAsync(() -> links[0].send(out, deadline));
            links[1].recv(in, deadline);
            send.join();
            for (int i = 0; i < n; i++) assertEquals(src[i + 7], dst[i + 3], "element " + i);
            assertEquals(0f, dst[0]);

            // Native memory, and the other direction.
            MemorySegment nativeOut = Arena.ofAuto().allocate(1 << 20, 8);
            for (long i = 0; i < nativeOut.byteSize(); i += 8) nativeOut.set(ValueLayout.JAVA_LONG, i, i * 31);
            long[] back = new long[1 << 17];
            CompletableFuture<Void> send2 = CompletableFuture.runAsync(() -> links[1].send(nativeOut, deadline));
            links[0].recv(MemorySegment.ofArray(back), deadline);
            send2.join();
            for (int i = 0; i < back.length; i++) assertEquals(i * 8L * 31, back[i], "long " + i);
        } finally {
            links[0].close();
            links[1].close();
        }
    }

    @Test
    void aClosedPeerIsNamedAndALocallyClosedLinkRefusesCalls() throws Exception {
        TcpLink[] links = pair();
        links[1].close();
        PeerFailureException e = assertThrows(PeerFailureException.class,
                () -> links[0].recv(MemorySegment.ofArray(new float[16]), System.nanoTime() + DEADLINE));
        assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
        links[0].close();
        PeerFailureException closed = assertThrows(PeerFailureException.class,
                () -> links[0].send(MemorySegment.ofArray(new float[16]), System.nanoTime() + DEADLINE));
        assertTrue(closed.getMessage().contains("closed locally"), closed.getMessage());
    }
}
