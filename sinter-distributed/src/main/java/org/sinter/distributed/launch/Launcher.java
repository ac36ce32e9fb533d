package org.sinter.distributed.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.sinter.distributed.store.TcpStoreServer;

/**
 * {@code sinter launch}: runs {@code nproc} copies of a command on this machine as one job, the
 * way {@code torchrun --standalone} does. It hosts the store itself on a free loopback port and
 * gives each copy torchrun's variables ({@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK},
 * {@code LOCAL_WORLD_SIZE}, {@code MASTER_ADDR}, {@code MASTER_PORT},
 * {@code TORCHELASTIC_USE_AGENT_STORE=True}, {@code TORCHELASTIC_RESTART_COUNT}), prefixes their
 * output lines with {@code [rank]:}, and when one copy fails stops the others and, like
 * torchrun's {@code --max-restarts}, starts the whole group again up to {@code maxRestarts} times.
 */
public final class Launcher {
    private final int nproc;
    private final int maxRestarts;
    private final List<String> command;
    private final PrintStream out;

    public Launcher(int nproc, int maxRestarts, List<String> command, PrintStream out) {
        if (nproc < 1) throw new IllegalArgumentException("launch: --nproc must be >= 1, got " + nproc);
        if (maxRestarts < 0) throw new IllegalArgumentException("launch: --max-restarts must be >= 0, got " + maxRestarts);
        if (command.isEmpty()) throw new IllegalArgumentException("launch: no command to run");
        this.nproc = nproc;
        this.maxRestarts = maxRestarts;
        this.command = List.copyOf(command);
        this.out = out;
    }

    /** Runs the job; returns 0 when every copy exited 0, else the exit code of the first copy that failed. */
    public int run() throws InterruptedException {
        int code = 0;
        for (int attempt = 0; attempt <= maxRestarts; attempt++) {
            code = runOnce(attempt);
            if (code == 0) return 0;
            if (attempt < maxRestarts) out.println("sinter launch: restarting the job (" + (attempt + 1) + " of " + maxRestarts + " restarts)");
        }
        return code;
    }

    private int runOnce(int attempt) throws InterruptedException {
        try (TcpStoreServer store = new TcpStoreServer(InetAddress.getLoopbackAddress(), 0)) {
            List<Process> procs = new ArrayList<>();
            List<Thread> pumps = new ArrayList<>();
            for (int r = 0; r < nproc; r++) {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
                Map<String, String> env = pb.environment();
                env.put("RANK", "" + r);
                env.put("LOCAL_RANK", "" + r);
                env.put("GROUP_RANK", "0");
                env.put("WORLD_SIZE", "" + nproc);
                env.put("LOCAL_WORLD_SIZE", "" + nproc);
                env.put("MASTER_ADDR", "127.0.0.1");
                env.put("MASTER_PORT", "" + store.port());
                env.put("TORCHELASTIC_USE_AGENT_STORE", "True");
                env.put("TORCHELASTIC_RESTART_COUNT", "" + attempt);
                env.put("TORCHELASTIC_MAX_RESTARTS", "" + maxRestarts);
                env.put("SINTER_LAUNCH", "1");
                Process p;
                try {
                    p = pb.start();
                } catch (IOException e) {
                    procs.forEach(Process::destroyForcibly);
                    throw new UncheckedIOException("launch: cannot start '" + String.join(" ", command) + "': " + e.getMessage(), e);
                }
                procs.add(p);
                pumps.add(pump(r, p));
            }
            int failedRank = -1, code = 0;
            while (failedRank < 0) {
                boolean allDone = true;
                for (int r = 0; r < nproc; r++) {
                    Process p = procs.get(r);
                    if (p.isAlive()) {
                        allDone = false;
                    } else if (p.exitValue() != 0) {
                        failedRank = r;
                        code = p.exitValue();
                        break;
                    }
                }
                if (allDone) break;
                if (failedRank < 0) Thread.sleep(50);
            }
            if (failedRank >= 0) {
                out.println("sinter launch: rank " + failedRank + " exited with code " + code + "; stopping the other ranks");
                for (Process p : procs) p.destroy();
                for (Process p : procs) if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
            }
            for (Thread t : pumps) t.join(5000);
            return code;
        }
    }

    private Thread pump(int rank, Process p) {
        return Thread.ofPlatform().daemon().name("sinter-launch-out-" + rank).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.println("[" + rank + "]:" + line);
                    }
                }
            } catch (IOException e) {
                // The process went away; its exit code tells the story.
            }
        });
    }
}
