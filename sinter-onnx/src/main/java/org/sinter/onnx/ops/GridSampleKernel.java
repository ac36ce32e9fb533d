package org.sinter.onnx.ops;

import static org.sinter.onnx.ops.ElementwiseKernels.one;

import org.sinter.DType;
import org.sinter.Tensor;

/**
 * ONNX {@code GridSample} (opset 16; PyTorch's {@code grid_sample}): each output pixel reads X at
 * the normalised (x, y) in [-1, 1] the grid gives, with {@code bilinear}, {@code nearest} or
 * {@code bicubic} interpolation, and {@code zeros}, {@code border} or {@code reflection} padding
 * for positions outside. Written with tensor operations (coordinates, per-tap gathers from the
 * flattened image, masks for taps outside), so it traces into the static graph; the coordinate
 * rules (unnormalising with and without {@code align_corners}, reflection, clipping, round half
 * to even for nearest, the cubic convolution with A = -0.75) follow PyTorch's CPU kernel.
 */
final class GridSampleKernel {
    private GridSampleKernel() {}

    private static final double A = -0.75;

    static void register(OpRegistry r) {
        r.add("GridSample", GridSampleKernel::gridSample, "align_corners", "mode", "padding_mode");
    }

    private static Tensor[] gridSample(NodeContext n) {
        Tensor x = n.in(0), grid = n.in(1);
        if (x.dim() != 4) throw n.unsupported("input of rank " + x.dim() + " (Sinter samples 4-D [N, C, H, W] inputs)");
        if (grid.dim() != 4 || grid.size(3) != 2 || grid.size(0) != x.size(0)) {
            throw n.error("grid must be [N, H_out, W_out, 2] with N = " + x.size(0) + ", got " + grid.describe());
        }
        if (!x.isFloatingPoint()) throw n.error("X must be floating point, got " + x.dtype());
        String mode = n.attrString("mode", "bilinear"), padding = n.attrString("padding_mode", "zeros");
        boolean align = n.attrInt("align_corners", 0) != 0;
        if (!java.util.List.of("bilinear", "nearest", "bicubic").contains(mode)) throw n.error("mode must be bilinear, nearest or bicubic, got '" + mode + "'");
        if (!java.util.List.of("zeros", "border", "reflection").contains(padding)) throw n.error("padding_mode must be zeros, border or reflection, got '" + padding + "'");
        Sampler s = new Sampler(x.to(DType.FLOAT64), grid.size(1), grid.size(2));
        Tensor g = grid.to(DType.FLOAT64);
        Tensor gx = unnormalize(g.select(3, 0), s.w, align), gy = unnormalize(g.select(3, 1), s.h, align);
        Tensor out;
        if (mode.equals("bicubic")) {
            Tensor x0 = gx.floor(), y0 = gy.floor();
            Tensor tx = gx.sub(x0), ty = gy.sub(y0);
            Tensor[] wx = cubicWeights(tx), wy = cubicWeights(ty);
            out = null;
            for (int j = 0; j < 4; j++) {
                Tensor row = null;
                for (int i = 0; i < 4; i++) {
                    Tensor px = pad(x0.add(i - 1.0), s.w, padding, align), py = pad(y0.add(j - 1.0), s.h, padding, align);
                    Tensor tap = s.at(px, py).mul(wx[i].unsqueeze(1));
                    row = row == null ? tap : row.add(tap);
                }
                Tensor term = row.mul(wy[j].unsqueeze(1));
                out = out == null ? term : out.add(term);
            }
        } else {
            gx = pad(gx, s.w, padding, align);
            gy = pad(gy, s.h, padding, align);
            if (mode.equals("nearest")) {
                out = s.at(gx.round(), gy.round()); // round half to even, as PyTorch's nearbyint
            } else {
                Tensor x0 = gx.floor(), y0 = gy.floor();
                Tensor fx = gx.sub(x0), fy = gy.sub(y0);
                Tensor x1 = x0.add(1.0), y1 = y0.add(1.0);
                out = s.at(x0, y0).mul(fx.rsub(1.0).mul(fy.rsub(1.0)).unsqueeze(1))
                        .add(s.at(x1, y0).mul(fx.mul(fy.rsub(1.0)).unsqueeze(1)))
                        .add(s.at(x0, y1).mul(fx.rsub(1.0).mul(fy).unsqueeze(1)))
                        .add(s.at(x1, y1).mul(fx.mul(fy).unsqueeze(1)));
            }
        }
        return one(out.to(x.dtype()));
    }

    /** Reads X at integer pixel coordinates [N, Ho, Wo], zero where they fall outside the image. */
    private record Sampler(Tensor flat, int n, int c, int h, int w, int ho, int wo) {
        Sampler(Tensor x, int ho, int wo) {
            this(x.reshape(x.size(0), x.size(1), x.size(2) * x.size(3)), x.size(0), x.size(1), x.size(2), x.size(3), ho, wo);
        }

        Tensor at(Tensor px, Tensor py) {
            Tensor inside = px.ge(0.0).to(DType.FLOAT64).mul(px.le(w - 1.0).to(DType.FLOAT64)).mul(py.ge(0.0).to(DType.FLOAT64)).mul(py.le(h - 1.0).to(DType.FLOAT64));
            Tensor index = py.clamp(0.0, h - 1.0).mul((double) w).add(px.clamp(0.0, w - 1.0)).to(DType.INT64)
                    .reshape(n, 1, ho * wo).expand(n, c, ho * wo).contiguous();
            return flat.gather(2, index).reshape(n, c, ho, wo).mul(inside.unsqueeze(1));
        }
    }

    private static Tensor unnormalize(Tensor coord, int size, boolean align) {
        return align ? coord.add(1.0).mul((size - 1) / 2.0) : coord.add(1.0).mul(size).sub(1.0).div(2.0);
    }

    /** Padding applied to a source coordinate: border clips, reflection reflects about the edges then clips; zeros leaves it (taps outside read 0). */
    private static Tensor pad(Tensor coord, int size, String padding, boolean align) {
        return switch (padding) {
            case "border" -> coord.clamp(0.0, size - 1.0);
            case "reflection" -> (align ? reflect(coord, 0, 2.0 * (size - 1)) : reflect(coord, -1, 2.0 * size - 1)).clamp(0.0, size - 1.0);
            default -> coord;
        };
    }

    /** PyTorch's reflect_coordinates: reflects about min = twiceLow / 2 and max = twiceHigh / 2 as often as needed. */
    private static Tensor reflect(Tensor coord, double twiceLow, double twiceHigh) {
        if (twiceLow == twiceHigh) return coord.mul(0.0);
        double min = twiceLow / 2, span = (twiceHigh - twiceLow) / 2;
        Tensor in = coord.sub(min).abs();
        Tensor extra = in.remainder(span);
        Tensor flips = in.div(span).floor();
        Tensor even = flips.remainder(2.0).eq(0.0);
        return Tensor.where(even, extra.add(min), extra.rsub(span + min));
    }

    /** The four cubic-convolution weights for taps at offsets -1, 0, 1, 2 of a fractional position t. */
    private static Tensor[] cubicWeights(Tensor t) {
        return new Tensor[] {far(t.add(1.0)), near(t), near(t.rsub(1.0)), far(t.rsub(2.0))};
    }

    /** ((A + 2)·x - (A + 3))·x² + 1, for |x| <= 1. */
    private static Tensor near(Tensor x) {
        return x.mul(A + 2).sub(A + 3).mul(x).mul(x).add(1.0);
    }

    /** ((A·x - 5A)·x + 8A)·x - 4A, for 1 < |x| < 2. */
    private static Tensor far(Tensor x) {
        return x.mul(A).sub(5 * A).mul(x).add(8 * A).mul(x).sub(4 * A);
    }
}
