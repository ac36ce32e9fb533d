// sgemm.cu -- row-major, batched single-precision GEMM for Sinter (course "System for AI", Lab 3).
//
//     C = alpha * op(A) * op(B) + beta * C          (one matrix product per batch index)
//
// A progression of kernels, from the one-line textbook version to a register-blocked kernel that
// gets most of the way to cuBLAS.  Every kernel is self-contained CUDA C++ (compiled at run time by
// NVRTC with --std=c++17, no headers) and comes in four transpose forms, suffix _nn, _nt, _tn, _tt
// (first letter A, second letter B, 't' = transposed).
//
// ---------------------------------------------------------------------------------------------
// Layouts (all row-major, all strides in elements):
//   op(A) is M x K:  A not transposed -> element (m,k) at A[m*lda + k]   (A stored M x K)
//                    A transposed     -> element (m,k) at A[k*lda + m]   (A stored K x M)
//   op(B) is K x N:  B not transposed -> element (k,n) at B[k*ldb + n]   (B stored K x N)
//                    B transposed     -> element (k,n) at B[n*ldb + k]   (B stored N x K)
//   C is M x N:      element (m,n) at C[m*ldc + n]
//   Batch z = blockIdx.z uses A + z*sA, B + z*sB, C + z*sC (sA or sB may be 0: a shared matrix).
//
// Every kernel has the signature
//   (int M, int N, int K, float alpha,
//    const float* __restrict__ A, int lda, long long sA,
//    const float* __restrict__ B, int ldb, long long sB,
//    float beta, float* __restrict__ C, int ldc, long long sC)
// and is correct for any M, N, K >= 1, any lda/ldb/ldc and any (4-byte aligned) pointers.
// When beta == 0, C is never read (it may hold NaN garbage).  C must not alias A or B.
//
// Launch configurations (batch = number of matrices, at most 65535; grid.y at most 65535):
//   sgemm_naive_XX : block (16,16,1)  grid (ceil(N/16),  ceil(M/16),  batch)   no shared memory
//   sgemm_tiled_XX : block (32,32,1)  grid (ceil(N/32),  ceil(M/32),  batch)   8.4 KB static smem
//   sgemm_reg_XX   : block (256,1,1)  grid (ceil(N/128), ceil(M/128), batch)  16.5 KB static smem
//   sgemm_reg64_XX : block (256,1,1)  grid (ceil(N/64),  ceil(M/64),  batch)  17 KB static smem
//   sgemm_wt_XX    : block (256,1,1)  grid (ceil(N/128), ceil(M/128), batch)  33 KB static smem
//
// Measured on an H100 80GB HBM3 (SXM), M=N=K, nn, fp32, C = A*B, vs cuBLAS via torch.mm with TF32
// disabled (cuBLAS: 51.5 TFLOP/s at 4096):
//            4096             2048             1024             512
//   wt       43.0 TF  0.84x   41.8 TF  0.85x   20.0 TF  0.57x    4.7 TF  0.51x
//   reg      41.0 TF  0.80x   39.8 TF  0.82x   17.7 TF  0.50x    4.2 TF  0.45x
//   reg64    32.2 TF  0.62x   31.2 TF  0.64x   28.3 TF  0.81x    9.0 TF  0.97x
//   tiled     6.9 TF  0.13x;  naive 5.4 TF  0.10x (4096).  nt/tn/tt forms within 5% of nn.
// Choosing: sgemm_wt when ceil(M/128)*ceil(N/128)*batch >= the number of SMs, else sgemm_reg64.
// Registers (sm_90, no spills): reg 124-128 (2 blocks/SM), wt 141-143 (1 block/SM),
// reg64 77-79, tiled 32, naive 30-32.
// All shared memory is static (below the 48 KB default limit): no dynamic smem, no attributes.
// naive/tiled: threadIdx.x maps to the column n (fastest-varying) and threadIdx.y to the row m.
//
// Vectorized (float4, 16-byte) global loads and C stores are used only where they are safe: the
// matrix's base pointer (after the batch offset) is 16-byte aligned, its leading dimension is a
// multiple of 4, and all four elements lie inside the matrix.  Everything else (edges, odd ld,
// offset pointers) falls back to guarded scalar accesses with zero fill, so no shape is special.
// ---------------------------------------------------------------------------------------------

// ============================================================================================
// Shared helpers
// ============================================================================================

// C[m][n] = alpha*acc + beta*C[m][n]; C is not read when beta == 0 (it may be uninitialised).
__device__ __forceinline__ void store_c(float* c, float alpha, float acc, float beta) {
    *c = beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
}

// Is this matrix safe for 16-byte vector accesses at every (row, col) with col % 4 == 0?
__device__ __forceinline__ bool vec4_ok(const float* p, int ld) {
    return ((reinterpret_cast<unsigned long long>(p) & 15ull) == 0ull) && ((ld & 3) == 0);
}

// ============================================================================================
// 1. Naive: one thread per element of C, reading A and B straight from global memory.
//    Each element of A is read N times and each element of B M times (through the caches):
//    memory-bound, a few percent of peak.
// ============================================================================================

template <bool TA, bool TB>
__device__ __forceinline__ void sgemm_naive(int M, int N, int K, float alpha,
                                            const float* __restrict__ A, int lda, long long sA,
                                            const float* __restrict__ B, int ldb, long long sB,
                                            float beta, float* __restrict__ C, int ldc, long long sC) {
    const int n = blockIdx.x * blockDim.x + threadIdx.x;
    const int m = blockIdx.y * blockDim.y + threadIdx.y;
    if (m >= M || n >= N) return;
    A += blockIdx.z * sA;
    B += blockIdx.z * sB;
    C += blockIdx.z * sC;
    float acc = 0.0f;
    for (int k = 0; k < K; ++k) {
        float a = TA ? A[(long long)k * lda + m] : A[(long long)m * lda + k];
        float b = TB ? B[(long long)n * ldb + k] : B[(long long)k * ldb + n];
        acc = fmaf(a, b, acc);
    }
    store_c(C + (long long)m * ldc + n, alpha, acc, beta);
}

// ============================================================================================
// 2. Shared-memory tiling: a 32x32 block of threads computes a 32x32 tile of C.  Per step the
//    block stages a 32x32 tile of op(A) and of op(B) in shared memory (each element loaded once
//    per block instead of once per thread) and every thread does 32 multiply-adds from there.
//
//    Coalescing: consecutive threadIdx.x must read consecutive addresses.  For a transposed
//    operand the contiguous direction is the other one, so the thread roles are swapped on the
//    load and the tile is written transposed; the +1 padding (33 columns) keeps that transposed
//    write free of bank conflicts.
// ============================================================================================

#define TILE 32

template <bool TA, bool TB>
__device__ __forceinline__ void sgemm_tiled(int M, int N, int K, float alpha,
                                            const float* __restrict__ A, int lda, long long sA,
                                            const float* __restrict__ B, int ldb, long long sB,
                                            float beta, float* __restrict__ C, int ldc, long long sC) {
    __shared__ float As[TILE][TILE + 1];  // As[mi][ki] = op(A)[m0+mi][k0+ki]
    __shared__ float Bs[TILE][TILE + 1];  // Bs[ki][ni] = op(B)[k0+ki][n0+ni]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int m0 = blockIdx.y * TILE, n0 = blockIdx.x * TILE;
    const int m = m0 + ty, n = n0 + tx;
    A += blockIdx.z * sA;
    B += blockIdx.z * sB;
    C += blockIdx.z * sC;

    float acc = 0.0f;
    for (int k0 = 0; k0 < K; k0 += TILE) {
        if (!TA) {  // A[m*lda + k]: contiguous along k -> tx walks k
            int mm = m0 + ty, kk = k0 + tx;
            As[ty][tx] = (mm < M && kk < K) ? A[(long long)mm * lda + kk] : 0.0f;
        } else {    // A[k*lda + m]: contiguous along m -> tx walks m, write transposed
            int mm = m0 + tx, kk = k0 + ty;
            As[tx][ty] = (mm < M && kk < K) ? A[(long long)kk * lda + mm] : 0.0f;
        }
        if (!TB) {  // B[k*ldb + n]: contiguous along n -> tx walks n
            int kk = k0 + ty, nn = n0 + tx;
            Bs[ty][tx] = (kk < K && nn < N) ? B[(long long)kk * ldb + nn] : 0.0f;
        } else {    // B[n*ldb + k]: contiguous along k -> tx walks k, write transposed
            int kk = k0 + tx, nn = n0 + ty;
            Bs[tx][ty] = (kk < K && nn < N) ? B[(long long)nn * ldb + kk] : 0.0f;
        }
        __syncthreads();
#pragma unroll
        for (int k = 0; k < TILE; ++k) acc = fmaf(As[ty][k], Bs[k][tx], acc);  // As: broadcast, Bs: stride 1
        __syncthreads();
    }
    if (m < M && n < N) store_c(C + (long long)m * ldc + n, alpha, acc, beta);
}

// ============================================================================================
// 3. Register blocking (the fast kernels: sgemm_reg, sgemm_reg64, sgemm_wt).
//
//    A block of 256 threads computes a BM x BN tile of C; each thread owns TM x TN results held
//    in registers.  Per k step a thread loads TM values of op(A) and TN values of op(B) from
//    shared memory and does TM*TN multiply-adds (an outer product): 8x8 gives 64 FMAs for 16
//    loaded floats, so the kernel is bound by the FMA units rather than by shared memory.
//
//    * Shared tiles are stored k-major: As[k][m] and Bs[k][n].  The TM values a thread needs at
//      step k are then contiguous and come in as float4 loads (LDS.128) -- this is why A is
//      stored transposed in shared memory.
//    * A thread's TM rows are taken as groups of 4 consecutive rows spaced RS apart (and its TN
//      columns as groups of 4 spaced CS apart).  With groups spaced by 64 (or 32/16 in the
//      warp-tiled layout) the lanes of a warp read distinct, consecutive float4s or broadcasts:
//      no bank conflicts on the inner-loop reads.
//    * Double buffering: two shared stages.  While the block computes on stage s, each thread
//      has already issued the global loads of the next K tile into registers; it writes them to
//      stage s^1 after its math, then one __syncthreads per tile.  Global latency hides behind
//      the BK outer products.
//    * Global loads: the tile is read as float4 along the contiguous direction of the stored
//      matrix.  When that direction is k (A not transposed, B transposed) the float4 is
//      scattered into the k-major tile with 4 scalar stores; rows are padded by 4 floats (PAD)
//      so those stores hit distinct banks (BK = 8) or at most 2-way (BK = 16).
//
//    Thread layouts (tid = threadIdx.x, 0..255):
//      LAYOUT_GRID  : 16x16 threads over the tile; thread rows start at (tid/16)*4, columns at
//                     (tid%16)*4; extra groups at +RS / +CS (=BM/2, BN/2 for 8x8 per thread).
//      LAYOUT_WARP  : warp-tiled. 8 warps as 2 (m) x 4 (n), each warp owns a 64 x 32 sub-tile;
//                     inside it lanes are 8 (m) x 4 (n), groups spaced 32 rows / 16 columns.
//                     A warp then touches only 64 rows of A and 32 columns of B per k step.
// ============================================================================================

#define NT 256   // threads per block of every register-blocked kernel
#define PAD 4    // floats of padding per shared row (keeps float4 alignment: row stride % 4 == 0)

enum { LAYOUT_GRID = 0, LAYOUT_WARP = 1 };

// Loads 4 consecutive elements p[0..3] of one stored row into a float4, zero-filling what lies
// outside the matrix: rowOk says the row exists; col is the column of p[0] and cols the row
// length.  The 16-byte load is used only when vec (alignment) holds and all 4 are in bounds.
__device__ __forceinline__ float4 load4(const float* p, bool rowOk, int col, int cols, bool vec) {
    float4 r;
    r.x = 0.0f; r.y = 0.0f; r.z = 0.0f; r.w = 0.0f;
    if (rowOk) {
        if (vec && col + 3 < cols) {
            r = __ldg(reinterpret_cast<const float4*>(p));
        } else {
            if (col     < cols) r.x = __ldg(p);
            if (col + 1 < cols) r.y = __ldg(p + 1);
            if (col + 2 < cols) r.z = __ldg(p + 2);
            if (col + 3 < cols) r.w = __ldg(p + 3);
        }
    }
    return r;
}

// Stages one operand tile into shared memory.  The tile is OUTER x BK, where OUTER runs over m
// (operand A) or n (operand B), and lands k-major in a shared array S[BK][OUTER + PAD].
//   KCONTIG = true : element (o, k) is stored at p[o*ld + k]   (A not transposed, B transposed)
//   KCONTIG = false: element (o, k) is stored at p[k*ld + o]   (A transposed, B not transposed)
// Each of the 256 threads moves PASSES float4s per tile.
template <bool KCONTIG, int OUTER, int BK>
struct TileLoader {
    static constexpr int PASSES = OUTER * BK / 4 / NT;
    static_assert(PASSES >= 1 && PASSES * 4 * NT == OUTER * BK, "tile must split into float4 per thread");
    static constexpr int QPR = KCONTIG ? BK / 4 : OUTER / 4;  // float4s per stored row of the tile

    static_assert(NT % QPR == 0, "every pass covers whole stored rows");
    static constexpr int ROWS_PER_PASS = NT / QPR;

    const float* ptr;          // this thread's float4 of pass 0 in the current K tile
    long long passStride;      // pass p reads at ptr + p*passStride (ROWS_PER_PASS stored rows down)
    long long step;            // pointer advance from one K tile to the next
    int o0, outerLimit, K;
    bool vec;

    // Position of pass p's float4 inside the tile: stored row r and the float4 index q in it.
    __device__ __forceinline__ static int row_of(int p) { return p * ROWS_PER_PASS + (int)threadIdx.x / QPR; }
    __device__ __forceinline__ static int quad_of(int) { return ((int)threadIdx.x % QPR) * 4; }

    __device__ __forceinline__ TileLoader(const float* base, int ld, int o0_, int outerLimit_, int K_)
        : o0(o0_), outerLimit(outerLimit_), K(K_) {
        vec = vec4_ok(base, ld);
        step = KCONTIG ? (long long)BK : (long long)BK * ld;
        passStride = (long long)ROWS_PER_PASS * ld;
        const int r = row_of(0), q = quad_of(0);
        ptr = KCONTIG ? base + (long long)(o0 + r) * ld + q      // row o0+r, column q (k)
                      : base + (long long)r * ld + (o0 + q);     // row r (k), column o0+q
    }

    // Global -> registers for the K tile starting at k0, then advance to the next tile.
    __device__ __forceinline__ void load(int k0, float4 (&reg)[PASSES]) {
#pragma unroll
        for (int p = 0; p < PASSES; ++p) {
            const int r = row_of(p), q = quad_of(p);
            const float* src = ptr + p * passStride;
            if (KCONTIG) reg[p] = load4(src, o0 + r < outerLimit, k0 + q, K, vec);
            else         reg[p] = load4(src, k0 + r < K, o0 + q, outerLimit, vec);
        }
        ptr += step;
    }

    // Registers -> shared stage S (k-major).
    __device__ __forceinline__ void store(float (*S)[OUTER + PAD], const float4 (&reg)[PASSES]) const {
#pragma unroll
        for (int p = 0; p < PASSES; ++p) {
            int r = row_of(p), q = quad_of(p);
            if (KCONTIG) {  // a float4 along k: scatter down one column of the k-major tile
                S[q + 0][r] = reg[p].x;
                S[q + 1][r] = reg[p].y;
                S[q + 2][r] = reg[p].z;
                S[q + 3][r] = reg[p].w;
            } else {        // a float4 along m (or n): one 16-byte store into row r (= k)
                *reinterpret_cast<float4*>(&S[r][q]) = reg[p];
            }
        }
    }
};

template <bool TA, bool TB, int BM, int BN, int BK, int TM, int TN, int LAYOUT>
__device__ __forceinline__ void sgemm_regblock(int M, int N, int K, float alpha,
                                               const float* __restrict__ A, int lda, long long sA,
                                               const float* __restrict__ B, int ldb, long long sB,
                                               float beta, float* __restrict__ C, int ldc, long long sC) {
    static_assert(TM % 4 == 0 && TN % 4 == 0, "per-thread tile is made of 4x4 groups");
    static_assert((BM / TM) * (BN / TN) == NT, "one thread per TM x TN sub-tile");
    constexpr int GM = TM / 4, GN = TN / 4;  // 4-row and 4-column groups per thread

    // Where this thread's groups sit inside the block tile: rows rb + i*RS (i < GM) + 0..3,
    // columns cb + j*CS (j < GN) + 0..3.
    constexpr int RS = LAYOUT == LAYOUT_GRID ? BM / GM : 32;
    constexpr int CS = LAYOUT == LAYOUT_GRID ? BN / GN : 16;
    const int tid = threadIdx.x;
    int rb, cb;
    if (LAYOUT == LAYOUT_GRID) {
        constexpr int TPR = BN / TN;  // threads along n
        rb = (tid / TPR) * 4;
        cb = (tid % TPR) * 4;
    } else {
        static_assert(LAYOUT != LAYOUT_WARP || (BM == 128 && BN == 128 && TM == 8 && TN == 8),
                      "warp layout is written for 128x128 tiles, 8x8 per thread");
        const int warp = tid >> 5, lane = tid & 31;
        rb = (warp >> 2) * 64 + (lane >> 2) * 4;   // warps: 2 along m (64 rows each)
        cb = (warp & 3) * 32 + (lane & 3) * 4;     //        4 along n (32 columns each)
    }

    __shared__ __align__(16) float As[2][BK][BM + PAD];
    __shared__ __align__(16) float Bs[2][BK][BN + PAD];

    const int m0 = blockIdx.y * BM, n0 = blockIdx.x * BN;
    A += blockIdx.z * sA;
    B += blockIdx.z * sB;
    C += blockIdx.z * sC;

    TileLoader<!TA, BM, BK> la(A, lda, m0, M, K);   // op(A) tile: m x k, k-contiguous unless TA
    TileLoader<TB, BN, BK> lb(B, ldb, n0, N, K);    // op(B) tile: n x k, k-contiguous when TB
    float4 ra[TileLoader<!TA, BM, BK>::PASSES];
    float4 rb4[TileLoader<TB, BN, BK>::PASSES];

    float acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; ++i)
#pragma unroll
        for (int j = 0; j < TN; ++j) acc[i][j] = 0.0f;

    // Prologue: tile 0 into stage 0.
    la.load(0, ra);
    lb.load(0, rb4);
    la.store(As[0], ra);
    lb.store(Bs[0], rb4);
    __syncthreads();

    int stage = 0;
    for (int k0 = 0; k0 < K; k0 += BK) {
        const bool more = k0 + BK < K;
        if (more) {  // issue the next tile's global loads now; they complete during the math
            la.load(k0 + BK, ra);
            lb.load(k0 + BK, rb4);
        }
#pragma unroll
        for (int k = 0; k < BK; ++k) {
            float a[TM], b[TN];
#pragma unroll
            for (int i = 0; i < GM; ++i) {
                float4 v = *reinterpret_cast<const float4*>(&As[stage][k][rb + i * RS]);
                a[4 * i + 0] = v.x; a[4 * i + 1] = v.y; a[4 * i + 2] = v.z; a[4 * i + 3] = v.w;
            }
#pragma unroll
            for (int j = 0; j < GN; ++j) {
                float4 v = *reinterpret_cast<const float4*>(&Bs[stage][k][cb + j * CS]);
                b[4 * j + 0] = v.x; b[4 * j + 1] = v.y; b[4 * j + 2] = v.z; b[4 * j + 3] = v.w;
            }
#pragma unroll
            for (int i = 0; i < TM; ++i)
#pragma unroll
                for (int j = 0; j < TN; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
        }
        if (more) {  // the other stage was last read before the previous barrier: safe to overwrite
            la.store(As[stage ^ 1], ra);
            lb.store(Bs[stage ^ 1], rb4);
        }
        __syncthreads();
        stage ^= 1;
    }

    // Epilogue: C = alpha*acc + beta*C, float4 where the 4 columns are inside and aligned.
    const bool vecC = vec4_ok(C, ldc);
#pragma unroll
    for (int i = 0; i < GM; ++i) {
#pragma unroll
        for (int r = 0; r < 4; ++r) {
            const int m = m0 + rb + i * RS + r;
            if (m >= M) continue;
            float* crow = C + (long long)m * ldc;
#pragma unroll
            for (int j = 0; j < GN; ++j) {
                const int n = n0 + cb + j * CS;
                const float* v = &acc[4 * i + r][4 * j];
                if (vecC && n + 3 < N) {
                    float4* p = reinterpret_cast<float4*>(crow + n);
                    float4 o;
                    if (beta == 0.0f) {
                        o.x = alpha * v[0]; o.y = alpha * v[1]; o.z = alpha * v[2]; o.w = alpha * v[3];
                    } else {
                        float4 c = *p;
                        o.x = alpha * v[0] + beta * c.x; o.y = alpha * v[1] + beta * c.y;
                        o.z = alpha * v[2] + beta * c.z; o.w = alpha * v[3] + beta * c.w;
                    }
                    *p = o;
                } else {
#pragma unroll
                    for (int c = 0; c < 4; ++c)
                        if (n + c < N) store_c(crow + n + c, alpha, v[c], beta);
                }
            }
        }
    }
}

// ============================================================================================
// extern "C" entry points: 4 transpose forms of each kernel.
// ============================================================================================

#define SGEMM_PARAMS int M, int N, int K, float alpha,                          \
                     const float* __restrict__ A, int lda, long long sA,        \
                     const float* __restrict__ B, int ldb, long long sB,        \
                     float beta, float* __restrict__ C, int ldc, long long sC
#define SGEMM_ARGS M, N, K, alpha, A, lda, sA, B, ldb, sB, beta, C, ldc, sC

#define SGEMM_FORMS(NAME, BOUNDS, ...)                                                          \
    extern "C" __global__ void BOUNDS NAME##_nn(SGEMM_PARAMS) { __VA_ARGS__<false, false>(SGEMM_ARGS); } \
    extern "C" __global__ void BOUNDS NAME##_nt(SGEMM_PARAMS) { __VA_ARGS__<false, true>(SGEMM_ARGS); }  \
    extern "C" __global__ void BOUNDS NAME##_tn(SGEMM_PARAMS) { __VA_ARGS__<true, false>(SGEMM_ARGS); }  \
    extern "C" __global__ void BOUNDS NAME##_tt(SGEMM_PARAMS) { __VA_ARGS__<true, true>(SGEMM_ARGS); }

// The register-blocked configurations, as templates of (TA, TB) alone.
template <bool TA, bool TB>  // 128x128 tile, BK 8, 8x8 per thread (two 4-row x two 4-column groups)
__device__ __forceinline__ void sgemm_reg(SGEMM_PARAMS) {
    sgemm_regblock<TA, TB, 128, 128, 8, 8, 8, LAYOUT_GRID>(SGEMM_ARGS);
}
template <bool TA, bool TB>  // 64x64 tile, BK 16, 4x4 per thread
__device__ __forceinline__ void sgemm_reg64(SGEMM_PARAMS) {
    sgemm_regblock<TA, TB, 64, 64, 16, 4, 4, LAYOUT_GRID>(SGEMM_ARGS);
}
template <bool TA, bool TB>  // 128x128 tile, BK 16, warp-tiled 64x32 per warp, 8x8 per thread
__device__ __forceinline__ void sgemm_wt(SGEMM_PARAMS) {
    sgemm_regblock<TA, TB, 128, 128, 16, 8, 8, LAYOUT_WARP>(SGEMM_ARGS);
}

SGEMM_FORMS(sgemm_naive, __launch_bounds__(256), sgemm_naive)
SGEMM_FORMS(sgemm_tiled, __launch_bounds__(1024), sgemm_tiled)
SGEMM_FORMS(sgemm_reg, __launch_bounds__(256, 2), sgemm_reg)
SGEMM_FORMS(sgemm_reg64, __launch_bounds__(256, 2), sgemm_reg64)
SGEMM_FORMS(sgemm_wt, __launch_bounds__(256, 1), sgemm_wt)
