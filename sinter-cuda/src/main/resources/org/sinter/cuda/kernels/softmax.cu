// softmax.cu -- row softmax and log-softmax for Sinter over a contiguous [rows, cols] matrix.
//
//   softmax_rows_f32(const float* x, float* y, int rows, int cols, int logSoftmax)
//   softmax_rows_f64(const double* x, double* y, int rows, int cols, int logSoftmax)
//
// Launch: block (256,1,1), grid (min(rows, 65535), 1, 1); block b handles rows b, b + gridDim.x, ...
// (any grid >= 1 is correct).  x and y may be the same buffer (in place).
//
// Per row, as Sinter's CPU SoftmaxKernels:
//   m   = max of the row, NaN-propagating (a NaN anywhere makes m NaN, hence the whole row NaN);
//   s   = sum of exp(x - m)           (float32: exponentials in float, summed in double, as the CPU
//                                      carries its float32 lane sums in double)
//   softmax:     y = exp(x - m) * inv, inv = (T)(1 / s)   (reciprocal in double, then rounded)
//   log-softmax: y = (x - m) - ls,     ls  = (T)log(s)     (log in double, then rounded)
// So an all -inf row gives NaN (-inf - -inf), as in PyTorch and on the CPU.  Exponentials use
// the accurate expf/exp (no fast math); results agree with the CPU to a few ulp, not bitwise
// (the CPU uses its own exp and a different summation order).
// Reductions: per-thread strided loop, warp-shuffle (__shfl_xor_sync) trees, one shared step.

#define THREADS 256
#define WARPS (THREADS / 32)

struct SumOp { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const { return a + b; } };
struct MaxOp { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
    return (a != a) ? a : ((b > a || b != b) ? b : a); } };  // NaN on either side wins

template <typename A, typename Op>
__device__ __forceinline__ A block_reduce(A v, Op op, A identity, A* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, off));
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < WARPS ? scratch[lane] : identity;
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, off));
    __syncthreads();  // scratch is reused by the next reduction
    return v;
}

__device__ __forceinline__ float exp_t(float v) { return expf(v); }
__device__ __forceinline__ double exp_t(double v) { return exp(v); }

template <typename T>
__device__ __forceinline__ void softmax_rows(const T* x, T* y, int rows, int cols, bool logSoftmax) {
    __shared__ T smax[WARPS];
    __shared__ double ssum[WARPS];
    const T ninf = -(T)1.0 / (T)0.0;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* xr = x + (long long)r * cols;
        T* yr = y + (long long)r * cols;

        T m = ninf;
        for (int c = threadIdx.x; c < cols; c += THREADS) m = MaxOp()(m, xr[c]);
        m = block_reduce(m, MaxOp(), ninf, smax);

        double s = 0.0;
        for (int c = threadIdx.x; c < cols; c += THREADS) {
            const T e = exp_t(xr[c] - m);
            if (!logSoftmax) yr[c] = e;  // each thread later rescales only its own elements
            s += (double)e;
        }
        s = block_reduce(s, SumOp(), 0.0, ssum);

        if (logSoftmax) {
            const T ls = (T)log(s);
            for (int c = threadIdx.x; c < cols; c += THREADS) yr[c] = (xr[c] - m) - ls;
        } else {
            const T inv = (T)(1.0 / s);
            for (int c = threadIdx.x; c < cols; c += THREADS) yr[c] = yr[c] * inv;
        }
    }
}

extern "C" __global__ void __launch_bounds__(THREADS) softmax_rows_f32(const float* x, float* y, int rows, int cols, int logSoftmax) {
    softmax_rows<float>(x, y, rows, cols, logSoftmax != 0);
}
extern "C" __global__ void __launch_bounds__(THREADS) softmax_rows_f64(const double* x, double* y, int rows, int cols, int logSoftmax) {
    softmax_rows<double>(x, y, rows, cols, logSoftmax != 0);
}
