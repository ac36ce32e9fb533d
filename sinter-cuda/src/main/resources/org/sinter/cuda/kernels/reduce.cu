// reduce.cu -- row reductions for Sinter: one result per row of a contiguous [rows, cols] matrix.
//
// Kernels (T = float for _f32, double for _f64):
//   reduce_sum_f32/_f64 (const T* x, T* y, int rows, int cols, T scale)   y[r] = scale * sum(row r)
//   reduce_prod_f32/_f64(const T* x, T* y, int rows, int cols, T scale)   y[r] = scale * prod(row r)
//   reduce_max_f32/_f64 (const T* x, T* y, int rows, int cols)            NaN if the row holds a NaN
//   reduce_min_f32/_f64 (const T* x, T* y, int rows, int cols)            NaN if the row holds a NaN
//   argmax_f32/_f64     (const T* x, long long* y, int rows, int cols)    first index of the maximum;
//   argmin_f32/_f64     (const T* x, long long* y, int rows, int cols)    NaN counts as the extreme and
//                                                                         the first NaN wins (PyTorch,
//                                                                         CPU ReduceLoops.beatsMax/Min)
//   reduce_sum_i64      (const long long* x, long long* y, int rows, int cols)  wrap-around int64 sum
// (scale is a float for _f32 and a double for _f64.)
//
// Launch (all): block (256,1,1), grid (min(rows, 65535), 1, 1).  Block b reduces rows b,
//   b + gridDim.x, ...  (any grid >= 1 is correct).  Each thread walks its row with stride 256,
//   then warp-shuffle (__shfl_xor_sync) trees and one shared-memory step combine the 8 warps.
//
// Semantics notes (matching Sinter's CPU ReduceKernels):
//   * An empty row (cols == 0) gives the identity: sum 0, prod 1 (times scale), max -inf, min +inf;
//     argmax/argmin of an empty row is rejected by the caller (not defined here).
//   * float32 sums accumulate in double (the CPU carries its float32 sums in double too), rounded
//     to float at the end: y = (float)(scale * sum) with the product taken in double.
//     For a mean bitwise equal to the CPU (which divides the float sum by the count), call with
//     scale = 1 and divide afterwards; scale = 1/cols differs by at most about 1 ulp.
//   * products accumulate in T (the CPU multiplies float32 in float lanes); order differs from the
//     CPU's, so results agree to rounding, not bitwise.
//   * max/min of values without NaN are exact (order-independent); which zero wins between -0.0
//     and +0.0 is not specified.

#define THREADS 256
#define WARPS (THREADS / 32)

struct SumOp  { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const { return a + b; } };
struct ProdOp { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const { return a * b; } };
// NaN-propagating max/min: a NaN on either side wins.
struct MaxOp  { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
    return (a != a) ? a : ((b > a || b != b) ? b : a); } };
struct MinOp  { template <typename A> __device__ __forceinline__ A operator()(A a, A b) const {
    return (a != a) ? a : ((b < a || b != b) ? b : a); } };

// Reduces v over the block; every thread gets the result.  scratch holds WARPS values.
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
    __syncthreads();  // scratch may be reused by the next row
    return v;
}

// T: element type; A: accumulator type; S: scale type.
template <typename T, typename A, typename Op>
__device__ __forceinline__ void reduce_rows(const T* __restrict__ x, T* __restrict__ y, int rows, int cols,
                                            A identity, bool scaled, A scale) {
    __shared__ A scratch[WARPS];
    Op op;
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* row = x + (long long)r * cols;
        A acc = identity;
        for (int c = threadIdx.x; c < cols; c += THREADS) acc = op(acc, (A)row[c]);
        acc = block_reduce(acc, op, identity, scratch);
        if (threadIdx.x == 0) y[r] = (T)(scaled ? scale * acc : acc);
    }
}

// Arg-reduction: (value, index) pairs; q beats p when its value is strictly more extreme, or
// it is NaN and p is not; on a draw (equal values, or both NaN) the lower index wins.  This is
// the CPU's first-extreme scan, made order-independent for the tree.
template <bool MAX, typename T>
__device__ __forceinline__ bool beats(T a, T b) {
    return (MAX ? a > b : a < b) || (a != a && b == b);
}

template <bool MAX, typename T>
__device__ __forceinline__ void arg_pick(T& v, int& i, T ov, int oi) {
    if (beats<MAX>(ov, v) || (!beats<MAX>(v, ov) && oi < i)) {
        v = ov;
        i = oi;
    }
}

template <bool MAX, typename T>
__device__ __forceinline__ void arg_rows(const T* __restrict__ x, long long* __restrict__ y, int rows, int cols) {
    __shared__ T sv[WARPS];
    __shared__ int si[WARPS];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (cols <= 0) return;  // empty rows are rejected by the caller
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const T* row = x + (long long)r * cols;
        // Each thread scans its strided elements in ascending order: first extreme, first NaN.
        T v = row[0];  // cols >= 1; threads with no element of their own start from element 0
        int i = 0;
        for (int c = threadIdx.x; c < cols; c += THREADS) {
            const T e = row[c];
            if (beats<MAX>(e, v)) { v = e; i = c; }
        }
#pragma unroll
        for (int off = 16; off > 0; off >>= 1) {
            T ov = __shfl_xor_sync(0xffffffffu, v, off);
            int oi = __shfl_xor_sync(0xffffffffu, i, off);
            arg_pick<MAX>(v, i, ov, oi);
        }
        if (lane == 0) { sv[warp] = v; si[warp] = i; }
        __syncthreads();
        if (warp == 0) {
            v = sv[lane < WARPS ? lane : 0];
            i = si[lane < WARPS ? lane : 0];
#pragma unroll
            for (int off = 16; off > 0; off >>= 1) {
                T ov = __shfl_xor_sync(0xffffffffu, v, off);
                int oi = __shfl_xor_sync(0xffffffffu, i, off);
                arg_pick<MAX>(v, i, ov, oi);
            }
            if (lane == 0) y[r] = i;
        }
        __syncthreads();
    }
}

__device__ __forceinline__ float f_inf() { return __int_as_float(0x7f800000); }
__device__ __forceinline__ double d_inf() { return __longlong_as_double(0x7ff0000000000000ll); }

// ---------------------------------------------------------------------------- entry points

extern "C" __global__ void __launch_bounds__(THREADS) reduce_sum_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int cols, float scale) {
    reduce_rows<float, double, SumOp>(x, y, rows, cols, 0.0, scale != 1.0f, (double)scale);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_sum_f64(const double* __restrict__ x, double* __restrict__ y, int rows, int cols, double scale) {
    reduce_rows<double, double, SumOp>(x, y, rows, cols, 0.0, scale != 1.0, scale);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_prod_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int cols, float scale) {
    reduce_rows<float, float, ProdOp>(x, y, rows, cols, 1.0f, scale != 1.0f, scale);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_prod_f64(const double* __restrict__ x, double* __restrict__ y, int rows, int cols, double scale) {
    reduce_rows<double, double, ProdOp>(x, y, rows, cols, 1.0, scale != 1.0, scale);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_max_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
    reduce_rows<float, float, MaxOp>(x, y, rows, cols, -f_inf(), false, 1.0f);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_max_f64(const double* __restrict__ x, double* __restrict__ y, int rows, int cols) {
    reduce_rows<double, double, MaxOp>(x, y, rows, cols, -d_inf(), false, 1.0);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_min_f32(const float* __restrict__ x, float* __restrict__ y, int rows, int cols) {
    reduce_rows<float, float, MinOp>(x, y, rows, cols, f_inf(), false, 1.0f);
}
extern "C" __global__ void __launch_bounds__(THREADS) reduce_min_f64(const double* __restrict__ x, double* __restrict__ y, int rows, int cols) {
    reduce_rows<double, double, MinOp>(x, y, rows, cols, d_inf(), false, 1.0);
}
extern "C" __global__ void __launch_bounds__(THREADS) argmax_f32(const float* __restrict__ x, long long* __restrict__ y, int rows, int cols) {
    arg_rows<true, float>(x, y, rows, cols);
}
extern "C" __global__ void __launch_bounds__(THREADS) argmax_f64(const double* __restrict__ x, long long* __restrict__ y, int rows, int cols) {
    arg_rows<true, double>(x, y, rows, cols);
}
extern "C" __global__ void __launch_bounds__(THREADS) argmin_f32(const float* __restrict__ x, long long* __restrict__ y, int rows, int cols) {
    arg_rows<false, float>(x, y, rows, cols);
}
extern "C" __global__ void __launch_bounds__(THREADS) argmin_f64(const double* __restrict__ x, long long* __restrict__ y, int rows, int cols) {
    arg_rows<false, double>(x, y, rows, cols);
}
// int64 sum with two's-complement wrap-around (done in unsigned arithmetic: no signed overflow).
extern "C" __global__ void __launch_bounds__(THREADS) reduce_sum_i64(const long long* __restrict__ x, long long* __restrict__ y, int rows, int cols) {
    __shared__ unsigned long long scratch[WARPS];
    for (int r = blockIdx.x; r < rows; r += gridDim.x) {
        const long long* row = x + (long long)r * cols;
        unsigned long long acc = 0ull;
        for (int c = threadIdx.x; c < cols; c += THREADS) acc += (unsigned long long)row[c];
        acc = block_reduce(acc, SumOp(), 0ull, scratch);
        if (threadIdx.x == 0) y[r] = (long long)acc;
    }
}
