package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * ONNX {@code RoiAlign} (Mask R-CNN's pooling): each region of interest {@code rois[r] = (x1, y1,
 * x2, y2)} of image {@code batch_indices[r]}, scaled by {@code spatial_scale}, is divided into an
 * {@code output_height x output_width} grid; each bin averages (or, {@code mode="max"}, takes the
 * largest of) bilinear samples on a regular {@code sampling_ratio}² sub-grid (0: ceil(bin size)
 * samples per axis). {@code half_pixel} shifts the box by -0.5 pixel and lets it be smaller than a
 * pixel; {@code output_half_pixel} (opset 10's behaviour) does neither. Samples more than one pixel
 * outside the image count as zeros. The sampling positions come from the boxes' values, so a model
 * with RoiAlign runs eagerly (see {@link DataDependentKernels#OPS}).
 */
final class RoiAlignKernel {
    private RoiAlignKernel() {}

    static void register(OpRegistry r) {
        r.add("RoiAlign", RoiAlignKernel::run, "coordinate_transformation_mode", "mode", "output_height", "output_width", "sampling_ratio", "spatial_scale");
    }

    private static Tensor[] run(NodeContext n) {
        Tensor x = n.in(0), rois = n.in(1), batch = n.in(2);
        if (x.isMeta() || rois.isMeta() || batch.isMeta()) throw n.unsupported("RoiAlign while tracing a static graph (it samples where the boxes' values say)");
        if (x.dim() != 4) throw n.error("X must be [N, C, H, W], got " + x.describe());
        if (rois.dim() != 2 || rois.size(1) != 4) throw n.error("rois must be [num_rois, 4], got " + rois.describe());
        if (batch.dim() != 1 || batch.size(0) != rois.size(0)) throw n.error("batch_indices must be [" + rois.size(0) + "], got " + batch.describe());
        String mode = n.attrString("mode", "avg");
        if (!mode.equals("avg") && !mode.equals("max")) throw n.error("mode must be avg or max, got '" + mode + "'");
        String transform = n.attrString("coordinate_transformation_mode", n.opset() >= 16 ? "half_pixel" : "output_half_pixel");
        if (!transform.equals("half_pixel") && !transform.equals("output_half_pixel")) {
            throw n.error("coordinate_transformation_mode must be half_pixel or output_half_pixel, got '" + transform + "'");
        }
        int oh = (int) n.attrInt("output_height", 1), ow = (int) n.attrInt("output_width", 1), ratio = (int) n.attrInt("sampling_ratio", 0);
        if (oh < 1 || ow < 1 || ratio < 0) throw n.error("output_height " + oh + ", output_width " + ow + " must be >= 1 and sampling_ratio " + ratio + " >= 0");
        double scale = n.attrFloat("spatial_scale", 1f);
        boolean halfPixel = transform.equals("half_pixel"), max = mode.equals("max");
        int images = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3), count = rois.size(0);
        double[] img = x.to(DType.FLOAT64).toDoubleArray(), box = rois.to(DType.FLOAT64).toDoubleArray();
        long[] which = batch.toLongArray();
        double[] out = new double[count * c * oh * ow];
        double offset = halfPixel ? 0.5 : 0;
        for (int r = 0; r < count; r++) {
            if (which[r] < 0 || which[r] >= images) throw n.error("batch_indices[" + r + "] = " + which[r] + " is outside 0.." + (images - 1));
            double x0 = box[4 * r] * scale - offset, y0 = box[4 * r + 1] * scale - offset;
            double bw = box[4 * r + 2] * scale - offset - x0, bh = box[4 * r + 3] * scale - offset - y0;
            if (!halfPixel) {
                bw = Math.max(bw, 1);
                bh = Math.max(bh, 1);
            }
            double binH = bh / oh, binW = bw / ow;
            int gridH = ratio > 0 ? ratio : (int) Math.ceil(bh / oh), gridW = ratio > 0 ? ratio : (int) Math.ceil(bw / ow);
            double samples = Math.max(gridH * gridW, 1);
            for (int ch = 0; ch < c; ch++) {
                int plane = (int) ((which[r] * c + ch) * h * w);
                for (int py = 0; py < oh; py++) {
                    for (int px = 0; px < ow; px++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        boolean any = false;
                        for (int iy = 0; iy < gridH; iy++) {
                            double sy = y0 + py * binH + (iy + 0.5) * binH / gridH;
                            for (int ix = 0; ix < gridW; ix++) {
                                double sx = x0 + px * binW + (ix + 0.5) * binW / gridW;
                                double v = bilinear(img, plane, h, w, sy, sx, max);
                                any = true;
                                acc = max ? Math.max(acc, v) : acc + v;
                            }
                        }
                        out[((r * c + ch) * oh + py) * ow + px] = max ? (any ? acc : 0) : acc / samples;
                    }
                }
            }
        }
        return one(Tensor.of(out, count, c, oh, ow).to(x.dtype()));
    }

    /**
     * The bilinear sample at (y, x), zero more than a pixel outside; coordinates in [-1, 0) clamp
     * to 0 and past the last row or column to it. Max mode takes the largest weighted corner
     * rather than their sum, as ONNX Runtime's kernel (the reference) does.
     */
    private static double bilinear(double[] img, int plane, int h, int w, double y, double x, boolean max) {
        if (y < -1 || y > h || x < -1 || x > w) return 0;
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int yLow = (int) y, xLow = (int) x, yHigh, xHigh;
        if (yLow >= h - 1) {
            yHigh = yLow = h - 1;
            y = yLow;
        } else {
            yHigh = yLow + 1;
        }
        if (xLow >= w - 1) {
            xHigh = xLow = w - 1;
            x = xLow;
        } else {
            xHigh = xLow + 1;
        }
        double ly = y - yLow, lx = x - xLow, hy = 1 - ly, hx = 1 - lx;
        double a = hy * hx * img[plane + yLow * w + xLow], b = hy * lx * img[plane + yLow * w + xHigh];
        double c = ly * hx * img[plane + yHigh * w + xLow], d = ly * lx * img[plane + yHigh * w + xHigh];
        return max ? Math.max(Math.max(a, b), Math.max(c, d)) : a + b + c + d;
    }
}
