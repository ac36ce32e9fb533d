// pool.cu -- 2-D max and average pooling for Sinter, forward and backward, float32 and float64.
//
// All tensors contiguous; NC = N*C independent planes.  x/gx: [NC, H, W]; y/gy/idx: [NC, OH, OW].
// T = float for _f32, double for _f64.
//
//   maxpool2d_f32/_f64(const T* x, T* y, long long* idx, int NC, int H, int W, int OH, int OW,
//                      int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW)
//       one thread per output.  Window rows oy*SH - PH + i*DH (i < KH) and columns
//       ox*SW - PW + j*DW (j < KW), those inside the plane, scanned row-major.  Same rule as the
//       CPU PoolKernels.maxPool (both its paths): a later element replaces the running maximum
//       only when strictly greater, or when it is NaN -- so the first of equal maxima wins
//       (-0.0 before a later 0.0 keeps -0.0) and the LAST NaN of a window wins.  The running
//       maximum starts at -inf with index = the window's first in-plane tap, so a window of all
//       -inf gives -inf at its first element.  idx = flat in-plane index h*W + w, y = x at idx.
//
//   maxpool2d_backward_f32/_f64(const T* gy, const long long* idx, T* gx, int NC, int H, int W,
//                               int OH, int OW)
//       one thread per output: gx[plane, idx] += gy (atomicAdd).  gx MUST be zero-filled by the
//       caller.  Where windows overlap (stride < kernel) several outputs can hit one input; the
//       atomics then add in an unspecified order (float rounding may differ from the CPU's
//       output-order sum in the last bits, not deterministic run to run).
//
//   avgpool2d_f32/_f64(const T* x, T* y, int NC, int H, int W, int OH, int OW,
//                      const int* hs, const int* he, const int* ws, const int* we, const int* div)
//       one thread per output: sum (accumulator of type T, rows then columns ascending, as the
//       CPU) over rows [hs[oy], he[oy]) x columns [ws[ox], we[ox]), then y = sum / div[oy*OW+ox];
//       div == 0 (empty window) gives 0.  Bitwise equal to the CPU avgPool.
//       Tables (device int arrays): hs, he [OH]; ws, we [OW]; div [OH*OW] = PoolWindows.divisor(oy, ox).
//
//   avgpool2d_backward_f32/_f64(const T* gy, T* gx, same ints and tables)
//       GATHER form, one thread per input element: gx[h][w] = sum, over outputs (oy, ox) whose
//       window holds (h, w), in oy-then-ox ascending order, of gy[oy][ox] / div (skipping div == 0).
//       Overwrites gx (no pre-zeroing, no atomics); deterministic and bitwise equal to the CPU
//       avgPoolBackward (the same terms added in the same order into 0).
//       Requires, as PoolWindows.avgAxis and adaptiveAxis produce, that hs and he are each
//       non-decreasing along oy (ws, we along ox): the outputs covering a row are then a
//       contiguous run, found by binary search.
//
// Launch (all eight): block (256,1,1), grid (min(ceil(total/256), 4096), 1, 1), grid-stride over
//   a 64-bit index; total = NC*OH*OW for the forward kernels and maxpool2d_backward,
//   NC*H*W for avgpool2d_backward.

// ---------------------------------------------------------------------------- max pooling

__device__ __forceinline__ int imin(int a, int b) { return a < b ? a : b; }

template <typename T>
__device__ __forceinline__ void maxpool2d(const T* __restrict__ x, T* __restrict__ y, long long* __restrict__ idx,
                                          int NC, int H, int W, int OH, int OW, int KH, int KW,
                                          int SH, int SW, int PH, int PW, int DH, int DW) {
    const long long total = (long long)NC * OH * OW;
    for (long long o = blockIdx.x * (long long)blockDim.x + threadIdx.x; o < total;
         o += (long long)gridDim.x * blockDim.x) {
        const int ox = (int)(o % OW);
        const long long t = o / OW;
        const int oy = (int)(t % OH);
        const long long plane = t / OH;
        const T* xp = x + plane * H * W;
        // Window bounds exactly as the CPU kernel: first in-plane tap y0 (x0), end y1 (x1).
        int y0 = oy * SH - PH;
        const int y1 = imin(y0 + (KH - 1) * DH + 1, H);
        while (y0 < 0) y0 += DH;
        int x0 = ox * SW - PW;
        const int x1 = imin(x0 + (KW - 1) * DW + 1, W);
        while (x0 < 0) x0 += DW;
        int best = y0 * W + x0;
        T max = -(T)1.0 / (T)0.0;  // -inf
        for (int yy = y0; yy < y1; yy += DH) {
            for (int xx = x0; xx < x1; xx += DW) {
                const int i = yy * W + xx;
                const T v = xp[i];
                if (v > max || v != v) {  // strictly greater, or NaN (a later NaN wins)
                    max = v;
                    best = i;
                }
            }
        }
        y[o] = max;
        idx[o] = best;
    }
}

template <typename T>
__device__ __forceinline__ void maxpool2d_backward(const T* __restrict__ gy, const long long* __restrict__ idx,
                                                   T* __restrict__ gx, int NC, int H, int W, int OH, int OW) {
    const long long ohw = (long long)OH * OW;
    const long long total = (long long)NC * ohw;
    for (long long o = blockIdx.x * (long long)blockDim.x + threadIdx.x; o < total;
         o += (long long)gridDim.x * blockDim.x) {
        const long long plane = o / ohw;
        atomicAdd(gx + plane * H * W + idx[o], gy[o]);
    }
}

// ---------------------------------------------------------------------------- average pooling

template <typename T>
__device__ __forceinline__ void avgpool2d(const T* __restrict__ x, T* __restrict__ y, int NC, int H, int W,
                                          int OH, int OW, const int* __restrict__ hs, const int* __restrict__ he,
                                          const int* __restrict__ ws, const int* __restrict__ we,
                                          const int* __restrict__ div) {
    const long long total = (long long)NC * OH * OW;
    for (long long o = blockIdx.x * (long long)blockDim.x + threadIdx.x; o < total;
         o += (long long)gridDim.x * blockDim.x) {
        const int ox = (int)(o % OW);
        const long long t = o / OW;
        const int oy = (int)(t % OH);
        const long long plane = t / OH;
        const int d = div[oy * OW + ox];
        if (d == 0) {
            y[o] = (T)0;
            continue;
        }
        const T* xp = x + plane * H * W;
        const int x0 = ws[ox], x1 = we[ox];
        T sum = (T)0;
        for (int yy = hs[oy]; yy < he[oy]; ++yy) {
            const T* row = xp + (long long)yy * W;
            for (int xx = x0; xx < x1; ++xx) sum += row[xx];
        }
        y[o] = sum / (T)d;
    }
}

// First index i in [0, n) with end[i] > v (n when none); end must be non-decreasing.
__device__ __forceinline__ int first_end_above(const int* __restrict__ end, int n, int v) {
    int lo = 0, hi = n;
    while (lo < hi) {
        const int mid = (lo + hi) >> 1;
        if (end[mid] > v) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

template <typename T>
__device__ __forceinline__ void avgpool2d_backward(const T* __restrict__ gy, T* __restrict__ gx, int NC, int H,
                                                   int W, int OH, int OW, const int* __restrict__ hs,
                                                   const int* __restrict__ he, const int* __restrict__ ws,
                                                   const int* __restrict__ we, const int* __restrict__ div) {
    const long long total = (long long)NC * H * W;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total;
         i += (long long)gridDim.x * blockDim.x) {
        const int w = (int)(i % W);
        const long long t = i / W;
        const int h = (int)(t % H);
        const long long plane = t / H;
        const T* g = gy + plane * OH * OW;
        // Outputs whose window holds row h: oy from the first with he[oy] > h while hs[oy] <= h.
        const int oyFirst = first_end_above(he, OH, h);
        const int oxFirst = first_end_above(we, OW, w);
        T sum = (T)0;
        for (int oy = oyFirst; oy < OH && hs[oy] <= h; ++oy) {
            for (int ox = oxFirst; ox < OW && ws[ox] <= w; ++ox) {
                const int d = div[oy * OW + ox];
                if (d == 0) continue;
                sum += g[oy * OW + ox] / (T)d;
            }
        }
        gx[i] = sum;
    }
}

// ---------------------------------------------------------------------------- entry points

#define MAXPOOL_INTS int NC, int H, int W, int OH, int OW, int KH, int KW, int SH, int SW, int PH, int PW, int DH, int DW
#define MAXPOOL_ARGS NC, H, W, OH, OW, KH, KW, SH, SW, PH, PW, DH, DW
#define AVG_TABLES const int* __restrict__ hs, const int* __restrict__ he, const int* __restrict__ ws, \
                   const int* __restrict__ we, const int* __restrict__ div

extern "C" __global__ void maxpool2d_f32(const float* __restrict__ x, float* __restrict__ y, long long* __restrict__ idx,
                                         MAXPOOL_INTS) {
    maxpool2d<float>(x, y, idx, MAXPOOL_ARGS);
}
extern "C" __global__ void maxpool2d_f64(const double* __restrict__ x, double* __restrict__ y,
                                         long long* __restrict__ idx, MAXPOOL_INTS) {
    maxpool2d<double>(x, y, idx, MAXPOOL_ARGS);
}
extern "C" __global__ void maxpool2d_backward_f32(const float* __restrict__ gy, const long long* __restrict__ idx,
                                                  float* __restrict__ gx, int NC, int H, int W, int OH, int OW) {
    maxpool2d_backward<float>(gy, idx, gx, NC, H, W, OH, OW);
}
extern "C" __global__ void maxpool2d_backward_f64(const double* __restrict__ gy, const long long* __restrict__ idx,
                                                  double* __restrict__ gx, int NC, int H, int W, int OH, int OW) {
    maxpool2d_backward<double>(gy, idx, gx, NC, H, W, OH, OW);
}
extern "C" __global__ void avgpool2d_f32(const float* __restrict__ x, float* __restrict__ y, int NC, int H, int W,
                                         int OH, int OW, AVG_TABLES) {
    avgpool2d<float>(x, y, NC, H, W, OH, OW, hs, he, ws, we, div);
}
extern "C" __global__ void avgpool2d_f64(const double* __restrict__ x, double* __restrict__ y, int NC, int H, int W,
                                         int OH, int OW, AVG_TABLES) {
    avgpool2d<double>(x, y, NC, H, W, OH, OW, hs, he, ws, we, div);
}
extern "C" __global__ void avgpool2d_backward_f32(const float* __restrict__ gy, float* __restrict__ gx, int NC, int H,
                                                  int W, int OH, int OW, AVG_TABLES) {
    avgpool2d_backward<float>(gy, gx, NC, H, W, OH, OW, hs, he, ws, we, div);
}
extern "C" __global__ void avgpool2d_backward_f64(const double* __restrict__ gy, double* __restrict__ gx, int NC,
                                                  int H, int W, int OH, int OW, AVG_TABLES) {
    avgpool2d_backward<double>(gy, gx, NC, H, W, OH, OW, hs, he, ws, we, div);
}
