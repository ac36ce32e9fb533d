package org.sinter.distributed.transport;

import static org.junit.jupiter.api.Assertions.*;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** The low-water mark really holds a reader back until enough bytes are there (Linux). */
class ReceiveLowWaterTest {
    @Test
    void aSocketIsReadableOnlyOnceTheMarkIsReached() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel writer = SocketChannel.open(server.getLocalAddress());
             SocketChannel reader = server.accept();
             Selector selector = Selector.open()) {
            reader.configureBlocking(false);
            reader.register(selector, SelectionKey.OP_READ);
            ReceiveLowWater.of(reader).set(100);
            writer.write(ByteBuffer.allocate(60));
            assertEquals(0, selector.select(300), "readable with 60 of the 100 bytes the mark asks for");
            writer.write(ByteBuffer.allocate(40));
            assertEquals(1, selector.select(5000), "not readable with all 100 bytes there");
            selector.selectedKeys().clear();
            ByteBuffer in = ByteBuffer.allocate(100);
            while (in.hasRemaining()) reader.read(in);
            // Never more than the reader still needs: a mark above the message would wait forever.
            ReceiveLowWater.of(reader).set(10);
            writer.write(ByteBuffer.allocate(10));
            assertEquals(1, selector.select(5000), "the mark did not come down to the 10 bytes still expected");
        }
    }
}
