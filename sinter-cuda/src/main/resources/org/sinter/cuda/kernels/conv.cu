// conv.cu -- convolution lowering for Sinter: im2col and its adjoint col2im, float32 and float64.
//
// Layouts (all contiguous):
//   x    [N, C, H, W]
//   cols [N, C*KH*KW, OH*OW]: row (c*KH + kh)*KW + kw, column oh*OW + ow, holding
//        x[n, c, oh*SH - PH + kh*DH, ow*SW - PW + kw*DW], or 0 where that tap falls in the padding.
// (The same matrix per sample as Sinter's CPU Im2Col with a single group.)
//
// Kernels (T = float for _f32, double for _f64):
//   im2col_f32 / im2col_f64(const T* x, T* cols, int N, int C, int H, int W, int KH, int KW,
//                           int SH, int SW, int PH, int PW, int DH, int DW, int OH, int OW)
//       one thread per cols element (writes every element, padding taps as 0).
//   col2im_f32 / col2im_f64(const T* cols, T* x, same ints)
//       gather form of the adjoint: one thread per x element sums, over the (kh, kw) taps that
//       read it (kh, then kw ascending), the cols entries that im2col copied from it.  x is
//       overwritten (no pre-zeroing, no atomics) and the result is deterministic and bitwise equal
//       to the CPU col2im (which adds the same terms, in the same order, into a zeroed x).
//
// Launch (all four): block (256,1,1), grid (min(ceil(total/256), 4096), 1, 1) with
//   total = N*C*KH*KW*OH*OW (im2col) or N*C*H*W (col2im); kernels loop grid-stride over a
//   64-bit index, so any grid size >= 1 is correct.

template <typename T>
__device__ __forceinline__ void im2col(const T* __restrict__ x, T* __restrict__ cols, int N, int C, int H, int W,
                                       int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW,
                                       int OH, int OW) {
    const long long ohw = (long long)OH * OW;
    const long long rows = (long long)C * KH * KW;
    const long long total = (long long)N * rows * ohw;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total;
         i += (long long)gridDim.x * blockDim.x) {
        // i = ((n*rows + row)*OH + oh)*OW + ow, row = (c*KH + kh)*KW + kw
        const int ow = (int)(i % OW);
        long long t = i / OW;
        const int oh = (int)(t % OH);
        t /= OH;
        const int kw = (int)(t % KW);
        t /= KW;
        const int kh = (int)(t % KH);
        t /= KH;  // t = n*C + c: the input plane
        const int h = oh * SH - PH + kh * DH;
        const int w = ow * SW - PW + kw * DW;
        T v = (T)0;
        if (h >= 0 && h < H && w >= 0 && w < W) v = x[(t * H + h) * W + w];
        cols[i] = v;
    }
}

template <typename T>
__device__ __forceinline__ void col2im(const T* __restrict__ cols, T* __restrict__ x, int N, int C, int H, int W,
                                       int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW,
                                       int OH, int OW) {
    const long long ohw = (long long)OH * OW;
    const long long total = (long long)N * C * H * W;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total;
         i += (long long)gridDim.x * blockDim.x) {
        const int w = (int)(i % W);
        long long t = i / W;
        const int h = (int)(t % H);
        t /= H;  // t = n*C + c
        // Row block of this (n, c) in cols: rows (c*KH + kh)*KW + kw of sample n start at
        // cols[(n*C*KH*KW + c*KH*KW + kh*KW + kw) * ohw] = cols[((t*KH + kh)*KW + kw) * ohw].
        T sum = (T)0;
        for (int kh = 0; kh < KH; ++kh) {
            // Tap kh reads input row h from output row oh when oh*SH - PH + kh*DH == h.
            const int ph = h + PH - kh * DH;
            if (ph < 0 || ph % SH != 0) continue;
            const int oh = ph / SH;
            if (oh >= OH) continue;
            for (int kw = 0; kw < KW; ++kw) {
                const int pw = w + PW - kw * DW;
                if (pw < 0 || pw % SW != 0) continue;
                const int ow = pw / SW;
                if (ow >= OW) continue;
                sum += cols[((t * KH + kh) * KW + kw) * ohw + (long long)oh * OW + ow];
            }
        }
        x[i] = sum;
    }
}

#define CONV_PARAMS int N, int C, int H, int W, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW, int OH, int OW
#define CONV_ARGS N, C, H, W, KH, KW, SH, SW, PH, PW, DH, DW, OH, OW

extern "C" __global__ void im2col_f32(const float* __restrict__ x, float* __restrict__ cols, CONV_PARAMS) {
    im2col<float>(x, cols, CONV_ARGS);
}
extern "C" __global__ void im2col_f64(const double* __restrict__ x, double* __restrict__ cols, CONV_PARAMS) {
    im2col<double>(x, cols, CONV_ARGS);
}
extern "C" __global__ void col2im_f32(const float* __restrict__ cols, float* __restrict__ x, CONV_PARAMS) {
    col2im<float>(cols, x, CONV_ARGS);
}
extern "C" __global__ void col2im_f64(const double* __restrict__ cols, double* __restrict__ x, CONV_PARAMS) {
    col2im<double>(cols, x, CONV_ARGS);
}
