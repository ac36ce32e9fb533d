// splitk.cu -- the second half of a split-K product: a GEMM whose output has too few tiles to fill
// the GPU (a long K with small M×N, such as a convolution's weight gradient summed over the batch)
// runs as a batch of partial products, one per slice of K (or per sample), into a workspace; this
// kernel adds the slices into C. Deterministic (a fixed order of additions), no atomics.
//
// sum_slices_f32(const float* ws, float* c, int slices, int m, int n, int ldc, long long sliceStride)
//   c[i*ldc + j] = sum over s of ws[s*sliceStride + i*n + j]  (overwrites c).
//   Launch: block 256, grid min(ceil(m*n/256), 4096); grid-stride over the m*n outputs.
// sum_slices_f64: the same for double.

template <typename T>
__device__ __forceinline__ void sum_slices(const T* __restrict__ ws, T* __restrict__ c, int slices, int m, int n, int ldc,
                                           long long sliceStride) {
    const long long total = (long long) m * n;
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        T acc = 0;
        for (int s = 0; s < slices; s++) acc += ws[s * sliceStride + e];
        const long long i = e / n, j = e - i * n;
        c[i * ldc + j] = acc;
    }
}

extern "C" __global__ void sum_slices_f32(const float* ws, float* c, int slices, int m, int n, int ldc, long long sliceStride) {
    sum_slices(ws, c, slices, m, n, ldc, sliceStride);
}

extern "C" __global__ void sum_slices_f64(const double* ws, double* c, int slices, int m, int n, int ldc, long long sliceStride) {
    sum_slices(ws, c, slices, m, n, ldc, sliceStride);
}
