package org.sinter.cluster.sim;

import java.util.Arrays;

/** GPUs allocated (shares of a GPU as fractions) and jobs waiting after each scheduling pass: the utilization and queue-length curves. */
public final class Timeline {
    private double[] time = new double[1024];
    private double[] busyGpus = new double[1024];
    private int[] queued = new int[1024];
    private int size;

    void add(double t, double busy, int waiting) {
        if (size > 0 && time[size - 1] == t) size--; // keep the last state of an instant
        if (size == time.length) {
            time = Arrays.copyOf(time, size * 2);
            busyGpus = Arrays.copyOf(busyGpus, size * 2);
            queued = Arrays.copyOf(queued, size * 2);
        }
        time[size] = t;
        busyGpus[size] = busy;
        queued[size++] = waiting;
    }

    public int size() {
        return size;
    }

    public double time(int i) {
        return time[i];
    }

    public double busyGpus(int i) {
        return busyGpus[i];
    }

    public int queued(int i) {
        return queued[i];
    }
}
