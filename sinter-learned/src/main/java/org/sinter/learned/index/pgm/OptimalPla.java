package org.sinter.learned.index.pgm;

/**
 * Streaming optimal piecewise-linear approximation with a maximum error ε (O'Rourke's algorithm, as
 * the PGM-index builds its segments): points (x, y) arrive with increasing x; the set of lines
 * within ±ε of every point so far is kept as the two hulls that bound it (the lower hull of the
 * upper points y + ε, the upper hull of the lower points y − ε) and the extreme-slope lines through
 * them. {@link #add} returns false when no line fits the new point too, which ends the segment:
 * the fewest segments any ε-approximation can have, in amortised O(1) per point.
 *
 * <p>Coordinates are doubles, relative to the segment's first point (the caller's choice of x
 * origin), so that cross products stay exact-ish for dense keys; callers verify the final error.
 */
final class OptimalPla {
    private final double eps;
    // Hulls as parallel coordinate arrays with a logical start (points before it can no longer bind).
    private double[] ux = new double[16], uy = new double[16], lx = new double[16], ly = new double[16];
    private int uSize, lSize, uStart, lStart;
    // rect: 0 = upper point and 2 = lower point on the min-slope line; 1 = lower point and 3 = upper point on the max-slope line
    private final double[] rx = new double[4], ry = new double[4];
    private int points;
    private double lastX;

    OptimalPla(double eps) {
        this.eps = eps;
    }

    void reset() {
        points = 0; uSize = lSize = uStart = lStart = 0;
    }

    int points() { return points; }

    /** Adds a point with x greater than the last one's; false (and nothing changed) if it does not fit. */
    boolean add(double x, double y) {
        if (points > 0 && !(x > lastX)) return false; // equal doubles: a new segment keeps slopes finite
        double uyv = y + eps, lyv = y - eps;
        if (points == 0) {
            rx[0] = x; ry[0] = uyv; rx[1] = x; ry[1] = lyv;
            uSize = lSize = uStart = lStart = 0;
            pushUpper(x, uyv); pushLower(x, lyv);
            points = 1; lastX = x;
            return true;
        }
        if (points == 1) {
            rx[2] = x; ry[2] = lyv; rx[3] = x; ry[3] = uyv;
            pushUpper(x, uyv); pushLower(x, lyv);
            points = 2; lastX = x;
            return true;
        }
        // Outside if the upper point is below the min-slope line or the lower point above the max-slope line.
        if (below(rx[0], ry[0], rx[2], ry[2], x, uyv) || above(rx[1], ry[1], rx[3], ry[3], x, lyv)) return false;

        if (below(rx[1], ry[1], rx[3], ry[3], x, uyv)) {
            // The max slope now goes through the new upper point: the tangent from it to the lower points' hull.
            int best = lStart;
            double bestSlope = slope(lx[lStart], ly[lStart], x, uyv);
            for (int i = lStart + 1; i < lSize; i++) {
                double s = slope(lx[i], ly[i], x, uyv);
                if (s > bestSlope) break;
                bestSlope = s; best = i;
            }
            rx[1] = lx[best]; ry[1] = ly[best]; rx[3] = x; ry[3] = uyv; lStart = best;
            int end = uSize;
            while (end >= uStart + 2 && cross(ux[end - 2], uy[end - 2], ux[end - 1], uy[end - 1], x, uyv) <= 0) end--;
            uSize = end;
            pushUpper(x, uyv);
        }
        if (above(rx[0], ry[0], rx[2], ry[2], x, lyv)) {
            // The min slope now goes through the new lower point: the tangent from it to the upper points' hull.
            int best = uStart;
            double bestSlope = slope(ux[uStart], uy[uStart], x, lyv);
            for (int i = uStart + 1; i < uSize; i++) {
                double s = slope(ux[i], uy[i], x, lyv);
                if (s < bestSlope) break;
                bestSlope = s; best = i;
            }
            rx[0] = ux[best]; ry[0] = uy[best]; rx[2] = x; ry[2] = lyv; uStart = best;
            int end = lSize;
            while (end >= lStart + 2 && cross(lx[end - 2], ly[end - 2], lx[end - 1], ly[end - 1], x, lyv) >= 0) end--;
            lSize = end;
            pushLower(x, lyv);
        }
        points++;
        lastX = x;
        return true;
    }

    /** A slope inside the feasible range: the mean of the extreme slopes (0 for a single point). */
    double slope() {
        if (points < 2) return 0;
        double minSlope = slope(rx[0], ry[0], rx[2], ry[2]);
        double maxSlope = slope(rx[1], ry[1], rx[3], ry[3]);
        return (minSlope + maxSlope) / 2;
    }

    private static double slope(double x1, double y1, double x2, double y2) {
        return (y2 - y1) / (x2 - x1);
    }

    /** Whether (px, py), right of both, lies strictly below the line through a and b. */
    private static boolean below(double ax, double ay, double bx, double by, double px, double py) {
        return (py - by) * (bx - ax) < (by - ay) * (px - bx);
    }

    /** Whether (px, py), right of both, lies strictly above the line through a and b. */
    private static boolean above(double ax, double ay, double bx, double by, double px, double py) {
        return (py - by) * (bx - ax) > (by - ay) * (px - bx);
    }

    private static double cross(double ox, double oy, double ax, double ay, double bx, double by) {
        return (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);
    }

    private void pushUpper(double x, double y) {
        if (uSize == ux.length) { ux = java.util.Arrays.copyOf(ux, uSize * 2); uy = java.util.Arrays.copyOf(uy, uSize * 2); }
        ux[uSize] = x; uy[uSize++] = y;
    }

    private void pushLower(double x, double y) {
        if (lSize == lx.length) { lx = java.util.Arrays.copyOf(lx, lSize * 2); ly = java.util.Arrays.copyOf(ly, lSize * 2); }
        lx[lSize] = x; ly[lSize++] = y;
    }
}
