/*
 * matmul: dense double-precision linear algebra.
 *
 *  - C = A * B with a cache-blocked i-k-j loop nest, verified against a
 *    naive dot-product evaluation of a sample of entries;
 *  - LU factorisation with partial pivoting of a diagonally weighted matrix,
 *    then forward/back substitution for a right-hand side built from a known
 *    solution; the solution error is checked.
 * The checksums (sums of squares of C and of the solution vector) are
 * compared with a relative tolerance because RV64 fuses multiply-adds.
 */
#include "common.h"

static const double EXPECTED_GEMM[2] = { 55750.564091974884, 36785113.265246145 };
static const double EXPECTED_SOLVE[2] = { 1845.4907271185511, 15330.306408450871 };

#define BS 32

static void gemm_blocked(int n, const double *A, const double *B, double *C)
{
    memset(C, 0, (size_t)n * (size_t)n * sizeof *C);
    for (int ii = 0; ii < n; ii += BS)
        for (int kk = 0; kk < n; kk += BS)
            for (int jj = 0; jj < n; jj += BS) {
                int ie = ii + BS < n ? ii + BS : n;
                int ke = kk + BS < n ? kk + BS : n;
                int je = jj + BS < n ? jj + BS : n;
                for (int i = ii; i < ie; i++) {
                    double *c = C + (size_t)i * n;
                    for (int k = kk; k < ke; k++) {
                        double a = A[(size_t)i * n + k];
                        const double *b = B + (size_t)k * n;
                        for (int j = jj; j < je; j++)
                            c[j] += a * b[j];
                    }
                }
            }
}

static double fabs_(double x) { return x < 0 ? -x : x; }

/* In-place LU with partial pivoting; perm receives the row order. */
static int lu_factor(int n, double *M, int *perm)
{
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int k = 0; k < n; k++) {
        int p = k;
        double best = fabs_(M[(size_t)k * n + k]);
        for (int i = k + 1; i < n; i++) {
            double v = fabs_(M[(size_t)i * n + k]);
            if (v > best) {
                best = v;
                p = i;
            }
        }
        if (best == 0.0)
            return -1;
        if (p != k) {
            for (int j = 0; j < n; j++) {
                double t = M[(size_t)k * n + j];
                M[(size_t)k * n + j] = M[(size_t)p * n + j];
                M[(size_t)p * n + j] = t;
            }
            int t = perm[k];
            perm[k] = perm[p];
            perm[p] = t;
        }
        double piv = M[(size_t)k * n + k];
        for (int i = k + 1; i < n; i++) {
            double *ri = M + (size_t)i * n;
            const double *rk = M + (size_t)k * n;
            double l = ri[k] / piv;
            ri[k] = l;
            for (int j = k + 1; j < n; j++)
                ri[j] -= l * rk[j];
        }
    }
    return 0;
}

static void lu_solve(int n, const double *LU, const int *perm, const double *b, double *x)
{
    for (int i = 0; i < n; i++) {
        double s = b[perm[i]];
        for (int j = 0; j < i; j++)
            s -= LU[(size_t)i * n + j] * x[j];
        x[i] = s;
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = x[i];
        for (int j = i + 1; j < n; j++)
            s -= LU[(size_t)i * n + j] * x[j];
        x[i] = s / LU[(size_t)i * n + i];
    }
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("matmul", argc, argv);
    static const int gemm_n[2] = { 80, 480 };
    static const int gemm_reps[2] = { 1, 3 };
    static const int lu_n[2] = { 80, 640 };
    dv_rng rng;
    dv_seed(&rng, 0x3A7ull);

    int n = gemm_n[size];
    size_t nn = (size_t)n * (size_t)n;
    double *A = dv_alloc(nn * sizeof *A), *B = dv_alloc(nn * sizeof *B), *C = dv_alloc(nn * sizeof *C);
    double gemm_sum = 0;
    for (int rep = 0; rep < gemm_reps[size]; rep++) {
        for (size_t i = 0; i < nn; i++) {
            A[i] = 2.0 * dv_unit(&rng) - 1.0;
            B[i] = 2.0 * dv_unit(&rng) - 1.0;
        }
        gemm_blocked(n, A, B, C);
        for (int s = 0; s < 64; s++) {
            int i = (int)dv_below(&rng, (uint32_t)n), j = (int)dv_below(&rng, (uint32_t)n);
            double ref = 0;
            for (int k = 0; k < n; k++)
                ref += A[(size_t)i * n + k] * B[(size_t)k * n + j];
            if (fabs_(ref - C[(size_t)i * n + j]) > 1e-10 * n) {
                printf("matmul: GEMM entry (%d,%d) wrong\n", i, j);
                return 1;
            }
        }
        for (size_t i = 0; i < nn; i++)
            gemm_sum += C[i] * C[i];
    }

    int m = lu_n[size];
    size_t mm = (size_t)m * (size_t)m;
    double *M = dv_alloc(mm * sizeof *M), *M0 = dv_alloc(mm * sizeof *M0);
    double *xt = dv_alloc((size_t)m * sizeof *xt), *b = dv_alloc((size_t)m * sizeof *b),
           *x = dv_alloc((size_t)m * sizeof *x);
    int *perm = dv_alloc((size_t)m * sizeof *perm);
    for (int i = 0; i < m; i++)
        for (int j = 0; j < m; j++)
            M0[(size_t)i * m + j] = 2.0 * dv_unit(&rng) - 1.0 + (i == j ? 2.0 : 0.0);
    for (int i = 0; i < m; i++)
        xt[i] = (double)(i % 17) - 8.0 + 0.25 * dv_unit(&rng);
    for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = 0; j < m; j++)
            s += M0[(size_t)i * m + j] * xt[j];
        b[i] = s;
    }
    memcpy(M, M0, mm * sizeof *M);
    if (lu_factor(m, M, perm) != 0) {
        printf("matmul: singular matrix\n");
        return 1;
    }
    lu_solve(m, M, perm, b, x);
    double err = 0, xsum = 0;
    for (int i = 0; i < m; i++) {
        double d = fabs_(x[i] - xt[i]);
        if (d > err)
            err = d;
        xsum += x[i] * x[i];
    }
    if (err > 1e-6) {
        printf("matmul: LU solution error %.3e too large\n", err);
        return 1;
    }
    printf("matmul: GEMM %dx%d x%d, LU %dx%d\n", n, n, gemm_reps[size], m, m);
    int rc = dv_check_f64("matmul", size, "gemm", gemm_sum, EXPECTED_GEMM, 1e-9);
    rc |= dv_check_f64("matmul", size, "solve", xsum, EXPECTED_SOLVE, 1e-9);
    return rc;
}
