// lab3_linear.cu -- Lab 3's custom linear operator, y = x·Wᵀ + b, written as plain CUDA so every
// step is visible: one thread per output element for the forward and for each gradient. (The
// products here are the naive kind on purpose; sgemm.cu shows how to make them fast.)
//
// linear_forward(const float* x, const float* w, const float* b, float* y, int n, int in, int out)
//   x [n, in], w [out, in], b [out] (may be null), y [n, out].
//   Launch: block (16,16,1) with x → output column j, y → row i; grid (ceil(out/16), ceil(n/16), 1).
// linear_backward_input(const float* g, const float* w, float* dx, int n, int in, int out)
//   dx [n, in] = g [n, out] · w [out, in].   Launch: block (16,16,1), grid (ceil(in/16), ceil(n/16), 1).
// linear_backward_weight(const float* g, const float* x, float* dw, int n, int in, int out)
//   dw [out, in] = gᵀ · x.                   Launch: block (16,16,1), grid (ceil(in/16), ceil(out/16), 1).
// linear_backward_bias(const float* g, float* db, int n, int out)
//   db [out] = column sums of g: one warp per column, lanes stride the rows, then a shuffle tree.
//   Launch: block (32, 8, 1) (8 columns per block), grid (ceil(out/8), 1, 1).

extern "C" __global__ void linear_forward(const float* __restrict__ x, const float* __restrict__ w,
                                          const float* __restrict__ b, float* __restrict__ y, int n, int in, int out) {
    int j = blockIdx.x * blockDim.x + threadIdx.x, i = blockIdx.y * blockDim.y + threadIdx.y;
    if (i >= n || j >= out) return;
    float acc = 0.0f;
    for (int k = 0; k < in; k++) acc += x[(long long) i * in + k] * w[(long long) j * in + k];
    y[(long long) i * out + j] = b ? acc + b[j] : acc;
}

extern "C" __global__ void linear_backward_input(const float* __restrict__ g, const float* __restrict__ w,
                                                 float* __restrict__ dx, int n, int in, int out) {
    int k = blockIdx.x * blockDim.x + threadIdx.x, i = blockIdx.y * blockDim.y + threadIdx.y;
    if (i >= n || k >= in) return;
    float acc = 0.0f;
    for (int j = 0; j < out; j++) acc += g[(long long) i * out + j] * w[(long long) j * in + k];
    dx[(long long) i * in + k] = acc;
}

extern "C" __global__ void linear_backward_weight(const float* __restrict__ g, const float* __restrict__ x,
                                                  float* __restrict__ dw, int n, int in, int out) {
    int k = blockIdx.x * blockDim.x + threadIdx.x, j = blockIdx.y * blockDim.y + threadIdx.y;
    if (j >= out || k >= in) return;
    float acc = 0.0f;
    for (int i = 0; i < n; i++) acc += g[(long long) i * out + j] * x[(long long) i * in + k];
    dw[(long long) j * in + k] = acc;
}

extern "C" __global__ void linear_backward_bias(const float* __restrict__ g, float* __restrict__ db, int n, int out) {
    int j = blockIdx.x * blockDim.y + threadIdx.y;
    if (j >= out) return;
    float acc = 0.0f;
    for (int i = threadIdx.x; i < n; i += 32) acc += g[(long long) i * out + j];
    for (int offset = 16; offset > 0; offset >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, offset);
    if (threadIdx.x == 0) db[j] = acc;
}
