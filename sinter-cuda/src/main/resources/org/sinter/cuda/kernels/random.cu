// random.cu -- random fills on the GPU with Philox4x32-10 (Salmon et al., "Parallel random numbers:
// as easy as 1, 2, 3", SC 2011), the counter-based generator PyTorch's CUDA backend uses too: the
// numbers are a pure function of (seed, element index), so any launch shape gives the same values.
// The seed comes from the CPU Generator, one draw per fill, so a seeded program is reproducible on
// the GPU (the values differ from the CPU's, as PyTorch's do).
//
// uniform_f32(float* out, long long n, unsigned long long seed, float from, float width)
//   out[i] = from + width * u, u uniform in [0, 1) with 24 random bits.
// uniform_f64(double* out, long long n, unsigned long long seed, double from, double width)   53 bits.
// normal_f32(float* out, long long n, unsigned long long seed, float mean, float std)   Box-Muller.
// normal_f64(double* out, long long n, unsigned long long seed, double mean, double std)
//   Launch (all): block 256, grid min(ceil(n/256), 4096); grid-stride over n.

struct SxPhilox { unsigned int x, y, z, w; };

__device__ __forceinline__ SxPhilox sx_philox(unsigned long long seed, unsigned long long counter) {
    unsigned int c0 = (unsigned int) counter, c1 = (unsigned int) (counter >> 32), c2 = 0, c3 = 0;
    unsigned int k0 = (unsigned int) seed, k1 = (unsigned int) (seed >> 32);
    for (int r = 0; r < 10; r++) {
        const unsigned int hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
        const unsigned int hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
        const unsigned int n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    SxPhilox r = {c0, c1, c2, c3};
    return r;
}

__device__ __forceinline__ float sx_u01f(unsigned int v) { return (v >> 8) * (1.0f / 16777216.0f); }
__device__ __forceinline__ double sx_u01d(unsigned int a, unsigned int b) {
    return ((((unsigned long long) a) << 21) ^ (b >> 11)) * (1.0 / 9007199254740992.0);
}

extern "C" __global__ void uniform_f32(float* out, long long n, unsigned long long seed, float from, float width) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        out[i] = from + width * sx_u01f(sx_philox(seed, (unsigned long long) i).x);
    }
}

extern "C" __global__ void uniform_f64(double* out, long long n, unsigned long long seed, double from, double width) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        SxPhilox r = sx_philox(seed, (unsigned long long) i);
        out[i] = from + width * sx_u01d(r.x, r.y);
    }
}

extern "C" __global__ void normal_f32(float* out, long long n, unsigned long long seed, float mean, float std) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        SxPhilox r = sx_philox(seed, (unsigned long long) i);
        const float u1 = 1.0f - sx_u01f(r.x), u2 = sx_u01f(r.y);  // u1 in (0, 1]: log(u1) is finite
        out[i] = mean + std * sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);
    }
}

extern "C" __global__ void normal_f64(double* out, long long n, unsigned long long seed, double mean, double std) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) gridDim.x * blockDim.x) {
        SxPhilox r = sx_philox(seed, (unsigned long long) i);
        const double u1 = 1.0 - sx_u01d(r.x, r.y), u2 = sx_u01d(r.z, r.w);
        out[i] = mean + std * sqrt(-2.0 * log(u1)) * cospi(2.0 * u2);
    }
}
