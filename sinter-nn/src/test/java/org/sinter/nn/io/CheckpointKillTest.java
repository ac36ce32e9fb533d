package org.sinter.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of checkpoints with real processes: a child JVM ({@link CheckpointWriterMain})
 * writes checkpoints in a loop and is killed with SIGKILL ({@code destroyForcibly}) at a random
 * moment, 20 times over the same directory. After every kill each checkpoint file present must
 * load and pass its checksum, nothing but stray temporary files may be left beside them, and the
 * next child must resume from where the last one got to.
 */
class CheckpointKillTest {
    private static final int KILLS = 20;

    @Test
    void killedWritersNeverLeaveABrokenCheckpoint(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        long lastStep = 0;
        int killedMidWrite = 0;
        for (int round = 0; round < KILLS; round++) {
            Process p = child(dir);
            BlockingQueue<String> lines = drain(p);
            String first = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(first, "child did not start");
            assertEquals("resumed " + lastStep, first, "round " + round + ": resumes from the newest checkpoint");
            String saved = lines.poll(60, TimeUnit.SECONDS); // let it write at least one checkpoint
            assertTrue(saved != null && saved.startsWith("saved"), "round " + round + ": " + saved);
            Thread.sleep(random.nextInt(200));
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));

            List<String> others = new ArrayList<>();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.equals(CheckpointDirectory.LAST) || name.equals(CheckpointDirectory.PREV)) {
                        Checkpoint c = Checkpoint.load(f); // throws on any damage
                        assertTrue(c.modelState().containsKey("layer.weight"), name);
                    } else if (!name.equals(DirectoryLock.FILE)) {
                        others.add(name);
                    }
                }
            }
            for (String o : others) {
                if (!(o.startsWith(".last.safetensors.") || o.startsWith(".prev.safetensors.")) || !o.endsWith(".tmp")) {
                    fail("round " + round + ": unexpected file " + o);
                }
            }
            if (!others.isEmpty()) killedMidWrite++;
            CheckpointDirectory cd = new CheckpointDirectory(dir);
            long step = Checkpoint.load(cd.lastFile()).step();
            if (Files.exists(cd.prevFile())) {
                // prev is the checkpoint before last, or equals last when the kill fell between
                // the snapshot of last into prev and the write of the new last
                long prev = Checkpoint.load(cd.prevFile()).step();
                assertTrue(prev == step - 1 || prev == step, "prev " + prev + " vs last " + step);
            }
            assertTrue(step > lastStep, "round " + round + ": progress " + lastStep + " -> " + step);
            lastStep = step;
        }
        System.out.println("CheckpointKillTest: " + KILLS + " kills, " + killedMidWrite
                + " of them mid-write (temporary file left), reached step " + lastStep + "; every checkpoint verified");
    }

    private static Process child(Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx256m", "-cp", cp, CheckpointWriterMain.class.getName(), dir.toString());
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Reads the child's output on a daemon thread so it never blocks on a full pipe. */
    private static BlockingQueue<String> drain(Process p) {
        BlockingQueue<String> q = new ArrayBlockingQueue<>(1 << 16);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.startsWith("WARNING")) q.offer(line);
                }
            } catch (Exception ignored) {
                // the child was killed
            }
        });
        t.setDaemon(true);
        t.start();
        return q;
    }
}
