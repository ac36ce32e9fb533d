package org.sinter.privacy.federated;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sinter.privacy.secagg.KeyShare;
import org.sinter.privacy.secagg.PublicKeys;

class WireFormatTest {
    static Message roundTrip(Message m) throws Exception {
        var out = new ByteArrayOutputStream();
        WireFormat.write(out, 42, m);
        var f = WireFormat.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(42, f.sequence());
        return f.message();
    }

    @Test
    void everyMessageRoundTrips() throws Exception {
        var plan = new Message.RoundPlan(7, true, 3, 1 << 20, 10, 600.5, 0);
        var t = (Message.TrainRequest) roundTrip(new Message.TrainRequest(plan, new float[] {1.5f, -2f, Float.MIN_VALUE}));
        assertEquals(plan, t.plan());
        assertArrayEquals(new float[] {1.5f, -2f, Float.MIN_VALUE}, t.global());
        assertArrayEquals(new int[] {1, -1, Integer.MIN_VALUE}, ((Message.Update) roundTrip(new Message.Update(3, new int[] {1, -1, Integer.MIN_VALUE}))).encoded());
        assertEquals(new Message.Hello(4, 600), roundTrip(new Message.Hello(4, 600)));
        var keys = new PublicKeys(new byte[] {1, 2}, new byte[] {3});
        var k = (Message.Keys) roundTrip(new Message.Keys(2, keys));
        assertArrayEquals(new byte[] {3}, k.keys().maskKey());
        var s = (Message.ShareKeysRequest) roundTrip(new Message.ShareKeysRequest(2, Map.of(5, keys, 1, keys)));
        assertEquals(Set.of(1, 5), s.advertised().keySet());
        var sh = (Message.Shares) roundTrip(new Message.Shares(2, Map.of(9, new byte[] {7, 7})));
        assertArrayEquals(new byte[] {7, 7}, sh.encrypted().get(9));
        assertEquals(Set.of(1, 2), ((Message.UnmaskRequest) roundTrip(new Message.UnmaskRequest(2, Set.of(2, 1)))).survivors());
        var us = (Message.UnmaskShares) roundTrip(new Message.UnmaskShares(2, List.of(new KeyShare(3, KeyShare.Kind.MASK_KEY, new byte[] {9}))));
        assertEquals(KeyShare.Kind.MASK_KEY, us.shares().get(0).kind());
        assertEquals(new Message.Failure("no ä"), roundTrip(new Message.Failure("no ä")));
        assertInstanceOf(Message.Silence.class, roundTrip(new Message.Silence()));
        assertInstanceOf(Message.Shutdown.class, roundTrip(new Message.Shutdown()));
    }

    @Test
    void malformedFramesFailNamingTheProblem() {
        byte[] good = WireFormat.encode(1, new Message.Update(3, new int[] {1, 2, 3}));
        assertMessage("bad magic", bytes -> bytes[0] = 'X', good);
        assertMessage("unknown message tag 99", bytes -> bytes[12] = 99, good);
        // a vector count larger than the frame: refused before allocating
        assertMessage("Update.encoded count 1000000000", bytes -> ByteBuffer.wrap(bytes).putInt(21, 1_000_000_000), good);
        var e = assertThrows(WireFormatException.class, () -> WireFormat.decode(java.util.Arrays.copyOf(good, good.length - 2)));
        assertTrue(e.getMessage().contains("Update.encoded"), e.getMessage());
        e = assertThrows(WireFormatException.class, () -> WireFormat.decode(java.util.Arrays.copyOf(good, good.length + 3)));
        assertTrue(e.getMessage().contains("3 trailing bytes"), e.getMessage());
        e = assertThrows(WireFormatException.class, () -> WireFormat.read(new ByteArrayInputStream(new byte[] {0x7f, 0, 0, 0})));
        assertTrue(e.getMessage().contains("frame length"), e.getMessage());
    }

    private static void assertMessage(String expected, java.util.function.Consumer<byte[]> corrupt, byte[] good) {
        byte[] b = good.clone();
        corrupt.accept(b);
        var e = assertThrows(WireFormatException.class, () -> WireFormat.decode(b));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
