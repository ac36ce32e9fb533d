// Helpers for the elementwise kernels that sinter-cuda generates (org.sinter.cuda.Pointwise):
// storage-type conversions (float16 and bfloat16 are stored as their 16-bit patterns, computed in
// float) and math functions overloaded for float and double, with PyTorch's semantics where the
// CUDA library differs (NaN-propagating maximum/minimum, Python's remainder and floor division).

typedef unsigned char sx_bool;
typedef unsigned short sx_half;

__device__ __forceinline__ float sx_f16_to_f32(sx_half h) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}
__device__ __forceinline__ sx_half sx_f32_to_f16(float f) {
    sx_half h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
}
__device__ __forceinline__ float sx_bf16_to_f32(sx_half h) {
    return __uint_as_float(((unsigned int) h) << 16);
}
// Round to nearest even; NaN stays a quiet NaN (as Sinter's CPU conversion).
__device__ __forceinline__ sx_half sx_f32_to_bf16(float f) {
    unsigned int u = __float_as_uint(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (sx_half) ((u >> 16) | 0x40u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (sx_half) (u >> 16);
}

#define SX_F1(name, ff, df) \
    __device__ __forceinline__ float name(float x) { return ff(x); } \
    __device__ __forceinline__ double name(double x) { return df(x); }
SX_F1(sx_exp, expf, exp)
SX_F1(sx_log, logf, log)
SX_F1(sx_log1p, log1pf, log1p)
SX_F1(sx_expm1, expm1f, expm1)
SX_F1(sx_sqrt, sqrtf, sqrt)
SX_F1(sx_sin, sinf, sin)
SX_F1(sx_cos, cosf, cos)
SX_F1(sx_tan, tanf, tan)
SX_F1(sx_tanh, tanhf, tanh)
SX_F1(sx_erf, erff, erf)
SX_F1(sx_asin, asinf, asin)
SX_F1(sx_acos, acosf, acos)
SX_F1(sx_atan, atanf, atan)
SX_F1(sx_sinh, sinhf, sinh)
SX_F1(sx_cosh, coshf, cosh)
SX_F1(sx_asinh, asinhf, asinh)
SX_F1(sx_acosh, acoshf, acosh)
SX_F1(sx_atanh, atanhf, atanh)
SX_F1(sx_log2, log2f, log2)
SX_F1(sx_log10, log10f, log10)
SX_F1(sx_exp2, exp2f, exp2)
SX_F1(sx_floor, floorf, floor)
SX_F1(sx_ceil, ceilf, ceil)
SX_F1(sx_trunc, truncf, trunc)
SX_F1(sx_rint, rintf, rint)
SX_F1(sx_fabs, fabsf, fabs)
#define SX_F2(name, ff, df) \
    __device__ __forceinline__ float name(float x, float y) { return ff(x, y); } \
    __device__ __forceinline__ double name(double x, double y) { return df(x, y); }
SX_F2(sx_pow, powf, pow)
SX_F2(sx_atan2, atan2f, atan2)
SX_F2(sx_fmod, fmodf, fmod)

template <typename T> __device__ __forceinline__ bool sx_isnan(T x) { return x != x; }

// Java's Math.max/min: NaN wins, and +0 is larger than -0.
template <typename T> __device__ __forceinline__ T sx_maximum(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit((double) a) ? b : a;
    return a > b ? a : b;
}
template <typename T> __device__ __forceinline__ T sx_minimum(T a, T b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == b) return signbit((double) a) ? a : b;
    return a < b ? a : b;
}
__device__ __forceinline__ long long sx_maximum(long long a, long long b) { return a > b ? a : b; }
__device__ __forceinline__ long long sx_minimum(long long a, long long b) { return a < b ? a : b; }

// Python's modulo: fmod moved into the divisor's sign.
template <typename T> __device__ __forceinline__ T sx_remainder(T a, T b) {
    T m = sx_fmod(a, b);
    if (m != 0 && ((b < 0) != (m < 0))) m += b;
    return m;
}
// Python's floor division for floats (the exact quotient of a - fmod(a, b), floored).
template <typename T> __device__ __forceinline__ T sx_floor_divide(T a, T b) {
    if (b == 0) return a / b;
    T m = sx_fmod(a, b);
    T q = (a - m) / b;
    if (m != 0 && ((b < 0) != (m < 0))) q -= 1;
    if (q == 0) return copysign((T) 0, a / b);
    T f = sx_floor(q);
    return q - f > (T) 0.5 ? f + 1 : f;
}
// x^e with PyTorch's cheaper forms for special exponents.
template <typename T> __device__ __forceinline__ T sx_pow_scalar(T x, T e) {
    if (e == 2) return x * x;
    if (e == 3) return x * x * x;
    if (e == (T) 0.5) return sx_sqrt(x);
    if (e == (T) -0.5) return (T) 1 / sx_sqrt(x);
    if (e == -1) return (T) 1 / x;
    if (e == -2) return (T) 1 / (x * x);
    return sx_pow(x, e);
}
template <typename T> __device__ __forceinline__ T sx_sign(T x) { return (T) ((x > 0) - (x < 0)); }
template <typename T> __device__ __forceinline__ T sx_sinc(T x) {
    if (x == 0) return 1;
    T t = x * (T) 3.14159265358979323846;
    return sx_sin(t) / t;
}
template <typename T> __device__ __forceinline__ T sx_gelu(T x) {
    return x * (T) 0.5 * (sx_erf(x * (T) 0.70710678118654752440) + (T) 1);
}
template <typename T> __device__ __forceinline__ T sx_gelu_tanh(T x) {
    T inner = (x * x * x * (T) 0.044715 + x) * (T) 0.79788456080286535588;
    return x * (T) 0.5 * (sx_tanh(inner) + (T) 1);
}
template <typename T> __device__ __forceinline__ T sx_softplus(T x, T beta, T threshold) {
    T bx = x * beta;
    return bx > threshold ? x : sx_log1p(sx_exp(bx)) / beta;
}
template <typename T> __device__ __forceinline__ T sx_clamp(T x, T lo, T hi) {
    if (lo != lo || hi != hi) return lo + hi; // a NaN bound gives NaN
    T t = x < lo ? lo : x;
    return t > hi ? hi : t;
}

// Shape and strides of a strided launch: the (collapsed) output shape, then each operand's
// element strides (operand 0 is the output).
#define SX_MAX_DIMS 8
#define SX_MAX_OPERANDS 4
struct SxGeometry {
    int nd;
    int size[SX_MAX_DIMS];
    int stride[SX_MAX_OPERANDS][SX_MAX_DIMS];
};
