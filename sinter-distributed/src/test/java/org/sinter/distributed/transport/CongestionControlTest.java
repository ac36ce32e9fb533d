package org.sinter.distributed.transport;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A link's congestion control: BBR replaced, other defaults kept, an explicit choice applied or refused by name. */
class CongestionControlTest {
    @Test
    void bbrIsReplacedAndOtherDefaultsAreKept() {
        assertEquals(List.of("cubic", "reno"), CongestionControl.wanted(null, "bbr"));
        assertEquals(List.of(), CongestionControl.wanted(null, "cubic"));
        assertEquals(List.of(), CongestionControl.wanted(null, "dctcp"));
        assertEquals(List.of(), CongestionControl.wanted("default", "bbr"));
        assertEquals(List.of(), CongestionControl.wanted(" ", "bbr"));
        assertEquals(List.of("bbr"), CongestionControl.wanted("bbr", "cubic"));
        assertEquals(List.of("cubic", "reno"), CongestionControl.wanted(" cubic , reno ", "bbr"));
    }

    @Test
    void aChoiceIsAppliedToTheSocketOrRefusedByName() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel dialed = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            int fd = SocketDescriptor.of(accepted);
            assumeTrue(fd >= 0 && CongestionControl.of(fd) != null, "Linux only");
            // Reno is always allowed to any process.
            assertEquals("reno", CongestionControl.apply(fd, "no-such-cc,reno"));
            assertEquals("reno", CongestionControl.of(fd));
            assertFalse(CongestionControl.set(fd, "no-such-cc"));
            assertEquals("reno", CongestionControl.of(fd), "a refused choice changed the socket");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> CongestionControl.apply(fd, "no-such-cc"));
            assertTrue(e.getMessage().contains("no-such-cc") && e.getMessage().contains("tcp_allowed_congestion_control"), e.getMessage());
            assertEquals("reno", CongestionControl.apply(fd, "default"));
            assertThrows(IllegalArgumentException.class, () -> CongestionControl.set(fd, "a-name-far-too-long"));
            // One socket's choice is its own: the other end still runs the kernel's default.
            String kernelDefault = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).trim();
            assertEquals(kernelDefault, CongestionControl.of(SocketDescriptor.of(dialed)));
        }
    }

    @Test
    void aLinkDoesNotRunBbr() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel dialed = SocketChannel.open(server.getLocalAddress());
            SocketChannel accepted = server.accept();
            int fd = SocketDescriptor.of(accepted);
            assumeTrue(fd >= 0 && CongestionControl.of(fd) != null, "Linux only");
            String kernelDefault = CongestionControl.of(fd);
            TcpLink a = new TcpLink(1, "rank 0", accepted), b = new TcpLink(0, "rank 1", dialed);
            try {
                String now = CongestionControl.of(fd);
                if (kernelDefault.equals("bbr")) assertTrue(now.equals("cubic") || now.equals("reno"), now);
                else assertEquals(kernelDefault, now);
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
