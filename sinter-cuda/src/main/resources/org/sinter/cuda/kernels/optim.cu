// optim.cu -- fused optimizer steps for Sinter over dense float32 tensors, one pass per step.
// Bitwise equal to the CPU kernels org.sinter.kernels.optim.SgdKernel and AdamKernel: the same
// float32 operations in the same order.  Where the CPU uses Math.fma the kernel uses fmaf;
// everywhere else it uses the __fmul_rn/__fadd_rn/__fdiv_rn intrinsics, which the compiler never
// contracts into an FMA (a plain a*b + c could be, changing the rounding).
//
// Launch (both): block (256,1,1), grid (min(ceil(n/256), 4096), 1, 1); grid-stride loop over n.
//
// ---------------------------------------------------------------------------------------------
// sgd_update_f32(float* p, const float* g, float* buf, int n,
//                float sign, float wd, float mu, float keep, float negLr, int first, int nesterov)
//   Java computes the scalars exactly as SgdKernel.range does from SgdKernel.Hyper h:
//     sign     = h.maximize() ? -1f : 1f
//     wd       = (float) h.weightDecay()
//     mu       = (float) h.momentum()
//     keep     = (float) (1 - h.dampening())        (subtraction in double, then rounded)
//     negLr    = (float) -h.lr()
//     first    = h.first() ? 1 : 0
//     nesterov = h.nesterov() ? 1 : 0
//   Per element:  d = sign*g;  if (wd != 0) d = fma(theta, wd, d);
//                 b = first ? d : fma(d, keep, b*mu);  buf = b;
//                 p = fma(nesterov ? fma(b, mu, d) : b, negLr, theta)
//   buf must hold the previous buffer unless first != 0 (then it is only written).
//
// adam_update_f32(float* p, const float* g, float* m, float* v, float* vmax, int n,
//                 float b1, float b2, float c1, float c2, float eps, float l2, float decay,
//                 float sign, float stepSize, float bc2Sqrt)
//   vmax may be null (no AMSGrad).  Java computes the scalars exactly as AdamKernel.step does from
//   AdamKernel.Hyper h (the ones marked "double" are computed in double and then rounded once):
//     b1       = (float) h.beta1()
//     b2       = (float) h.beta2()
//     c1       = (float) (1 - h.beta1())                                   double
//     c2       = (float) (1 - h.beta2())                                   double
//     eps      = (float) h.eps()
//     l2       = (float) h.l2()
//     decay    = (float) h.decoupledDecay()
//     sign     = h.maximize() ? -1f : 1f
//     stepSize = (float) (h.lr() / (1 - Math.pow(h.beta1(), h.step())))   double
//     bc2Sqrt  = (float) Math.sqrt(1 - Math.pow(h.beta2(), h.step()))     double
//   Per element:  theta = p*decay;  gi = l2 == 0 ? sign*g : sign*g + l2*theta;
//                 m = b1*m + c1*gi;  v = b2*v + (c2*gi)*gi;
//                 s = vmax ? (vmax = max(vmax, v)) : v          (max NaN-propagating, as Math.max)
//                 p = theta - (stepSize*m) / (sqrt(s)/bc2Sqrt + eps)
//   sqrt is the correctly rounded float sqrt (equal to Java's (float) Math.sqrt(double) of a float).
// ---------------------------------------------------------------------------------------------

extern "C" __global__ void __launch_bounds__(256) sgd_update_f32(float* __restrict__ p, const float* __restrict__ g,
                                                                 float* __restrict__ buf, int n, float sign, float wd,
                                                                 float mu, float keep, float negLr, int first,
                                                                 int nesterov) {
    const bool decay = wd != 0.0f;  // no 0*inf = NaN without weight decay
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        const float theta = p[i];
        float d = __fmul_rn(sign, g[i]);
        if (decay) d = fmaf(theta, wd, d);
        const float b = first ? d : fmaf(d, keep, __fmul_rn(buf[i], mu));
        buf[i] = b;
        const float dir = nesterov ? fmaf(b, mu, d) : b;
        p[i] = fmaf(dir, negLr, theta);
    }
}

// Java's Math.max for floats: NaN if either is NaN (and +0 above -0, irrelevant for v >= 0).
__device__ __forceinline__ float java_max(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return __float_as_int(a) == 0 ? a : b;  // +0 wins over -0
    return a > b ? a : b;
}

extern "C" __global__ void __launch_bounds__(256) adam_update_f32(float* __restrict__ p, const float* __restrict__ g,
                                                                  float* __restrict__ m, float* __restrict__ v,
                                                                  float* __restrict__ vmax, int n, float b1, float b2,
                                                                  float c1, float c2, float eps, float l2, float decay,
                                                                  float sign, float stepSize, float bc2Sqrt) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        const float theta = __fmul_rn(p[i], decay);
        const float sg = __fmul_rn(sign, g[i]);
        const float gi = l2 == 0.0f ? sg : __fadd_rn(sg, __fmul_rn(l2, theta));
        const float mi = __fadd_rn(__fmul_rn(b1, m[i]), __fmul_rn(c1, gi));
        const float vi = __fadd_rn(__fmul_rn(b2, v[i]), __fmul_rn(__fmul_rn(c2, gi), gi));
        m[i] = mi;
        v[i] = vi;
        float second = vi;
        if (vmax != nullptr) {
            second = java_max(vmax[i], vi);
            vmax[i] = second;
        }
        const float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(second), bc2Sqrt), eps);
        p[i] = __fsub_rn(theta, __fdiv_rn(__fmul_rn(stepSize, mi), denom));
    }
}

// ---------------------------------------------------------------------------------------------
// adadelta_update_f32(float* p, const float* g, float* v, float* u, int n,
//                     float sign, float wd, float r, float c, float eps, float negLr)
//   Java computes the scalars as AdadeltaKernel.range does from AdadeltaKernel.Hyper h:
//     sign = h.maximize() ? -1f : 1f,  wd = (float) h.weightDecay(),  r = (float) h.rho(),
//     c = (float) (1 - h.rho()) (double, then rounded),  eps = (float) h.eps(),  negLr = (float) -h.lr()
//   Per element:  d = sign*g;  if (wd != 0) d = fma(theta, wd, d);
//                 v = fma(d*d, c, v*r);  delta = sqrt(u + eps) / sqrt(v + eps) * d;
//                 u = fma(delta*delta, c, u*r);  p = fma(delta, negLr, theta)
//   Launch: block (256,1,1), grid (min(ceil(n/256), 4096), 1, 1); grid-stride loop over n.
// ---------------------------------------------------------------------------------------------
extern "C" __global__ void __launch_bounds__(256) adadelta_update_f32(float* __restrict__ p, const float* __restrict__ g,
                                                                      float* __restrict__ v, float* __restrict__ u, int n,
                                                                      float sign, float wd, float r, float c, float eps,
                                                                      float negLr) {
    const bool decay = wd != 0.0f;  // no 0*inf = NaN without weight decay
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        const float theta = p[i];
        float d = __fmul_rn(sign, g[i]);
        if (decay) d = fmaf(theta, wd, d);
        const float vi = fmaf(__fmul_rn(d, d), c, __fmul_rn(v[i], r));
        const float ui = u[i];
        const float delta = __fmul_rn(__fdiv_rn(__fsqrt_rn(__fadd_rn(ui, eps)), __fsqrt_rn(__fadd_rn(vi, eps))), d);
        v[i] = vi;
        u[i] = fmaf(__fmul_rn(delta, delta), c, __fmul_rn(ui, r));
        p[i] = fmaf(delta, negLr, theta);
    }
}
