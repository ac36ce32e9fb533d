// index.cu -- gather and scatter-add along one dimension (PyTorch's torch.gather / scatter_add_),
// on dense tensors viewed as [outer, size, inner] around the indexed dimension.
//
// gather_f32(const float* x, const long long* idx, float* y, long long outer, int xSize, int idxSize,
//            long long inner, int* bad)
//   y[o, j, i] = x[o, idx[o, j, i], i] for j < idxSize; x is [outer, xSize, inner], idx and y are
//   [outer, idxSize, inner] (PyTorch's gather with index of the input's shape except along dim).
//   An index outside [0, xSize) sets *bad = 1 (and reads nothing); the caller raises the error.
// scatter_add_f32(float* y, const long long* idx, const float* src, long long outer, int ySize,
//                 int idxSize, long long inner, int* bad)
//   y[o, idx[o, j, i], i] += src[o, j, i] (atomicAdd: the order of additions is not fixed).
// _f64 versions of both.
//   Launch: block 256, grid min(ceil(outer*idxSize*inner/256), 4096); grid-stride.

template <typename T>
__device__ __forceinline__ void gather(const T* __restrict__ x, const long long* __restrict__ idx, T* __restrict__ y,
                                       long long outer, int xSize, int idxSize, long long inner, int* bad) {
    const long long total = outer * idxSize * inner;
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        const long long i = e % inner, oj = e / inner, o = oj / idxSize;
        const long long k = idx[e];
        if (k < 0 || k >= xSize) { *bad = 1; y[e] = 0; continue; }
        y[e] = x[(o * xSize + k) * inner + i];
    }
}

template <typename T>
__device__ __forceinline__ void scatter_add(T* __restrict__ y, const long long* __restrict__ idx, const T* __restrict__ src,
                                            long long outer, int ySize, int idxSize, long long inner, int* bad) {
    const long long total = outer * idxSize * inner;
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        const long long i = e % inner, oj = e / inner, o = oj / idxSize;
        const long long k = idx[e];
        if (k < 0 || k >= ySize) { *bad = 1; continue; }
        atomicAdd(&y[(o * ySize + k) * inner + i], src[e]);
    }
}

extern "C" __global__ void gather_f32(const float* x, const long long* idx, float* y, long long outer, int xSize, int idxSize,
                                      long long inner, int* bad) { gather(x, idx, y, outer, xSize, idxSize, inner, bad); }
extern "C" __global__ void gather_f64(const double* x, const long long* idx, double* y, long long outer, int xSize, int idxSize,
                                      long long inner, int* bad) { gather(x, idx, y, outer, xSize, idxSize, inner, bad); }
extern "C" __global__ void scatter_add_f32(float* y, const long long* idx, const float* src, long long outer, int ySize,
                                           int idxSize, long long inner, int* bad) { scatter_add(y, idx, src, outer, ySize, idxSize, inner, bad); }
extern "C" __global__ void scatter_add_f64(double* y, const long long* idx, const double* src, long long outer, int ySize,
                                           int idxSize, long long inner, int* bad) { scatter_add(y, idx, src, outer, ySize, idxSize, inner, bad); }
