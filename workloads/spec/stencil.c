/*
 * stencil: 2-D heat diffusion in double precision.
 *
 * A square plate with a hot top edge, cold other edges and a set of generated
 * internal heat sources is relaxed with Jacobi sweeps of the 5-point
 * Laplacian stencil (two ping-pong grids), followed by a number of
 * red-black successive over-relaxation sweeps of the same problem.  The
 * checksums are the total heat and the sum of squares of the final field;
 * they are compared with a relative tolerance because RV64 fuses
 * multiply-adds.
 */
#include "common.h"

static const double EXPECTED_HEAT[2] = { 930.81286593188406, 16104.897779731944 };
static const double EXPECTED_SQUARES[2] = { 522.45675425867762, 9123.0776229820349 };

int main(int argc, char **argv)
{
    int size = dv_parse_size("stencil", argc, argv);
    static const int dim[2] = { 96, 400 };
    static const int jacobi_iters[2] = { 60, 1200 };
    static const int sor_iters[2] = { 20, 300 };
    int n = dim[size];
    int stride = n + 2;
    size_t cells = (size_t)stride * (size_t)stride;
    double *u = dv_alloc(cells * sizeof *u);
    double *v = dv_alloc(cells * sizeof *v);
    double *src = dv_alloc(cells * sizeof *src);
    memset(u, 0, cells * sizeof *u);
    memset(src, 0, cells * sizeof *src);
    for (int j = 0; j < stride; j++)
        u[j] = 1.0; /* hot top edge (row 0) */
    dv_rng rng;
    dv_seed(&rng, 0x57E9ull);
    int nsrc = n / 4;
    for (int k = 0; k < nsrc; k++) {
        int i = 1 + (int)dv_below(&rng, (uint32_t)n), j = 1 + (int)dv_below(&rng, (uint32_t)n);
        src[(size_t)i * stride + j] += 0.5 * dv_unit(&rng) / (double)(n * n) * 64.0;
    }
    memcpy(v, u, cells * sizeof *u);

    /* Jacobi: v = (neighbours + h^2 f) / 4, swap */
    for (int it = 0; it < jacobi_iters[size]; it++) {
        for (int i = 1; i <= n; i++) {
            const double *up = u + (size_t)(i - 1) * stride, *row = u + (size_t)i * stride,
                         *dn = u + (size_t)(i + 1) * stride, *f = src + (size_t)i * stride;
            double *out = v + (size_t)i * stride;
            for (int j = 1; j <= n; j++)
                out[j] = 0.25 * (up[j] + dn[j] + row[j - 1] + row[j + 1]) + f[j];
        }
        double *t = u;
        u = v;
        v = t;
    }

    /* red-black SOR in place on u */
    const double omega = 1.8;
    for (int it = 0; it < sor_iters[size]; it++)
        for (int colour = 0; colour < 2; colour++)
            for (int i = 1; i <= n; i++) {
                double *row = u + (size_t)i * stride;
                const double *up = row - stride, *dn = row + stride, *f = src + (size_t)i * stride;
                for (int j = 1 + ((i + colour) & 1); j <= n; j += 2) {
                    double gs = 0.25 * (up[j] + dn[j] + row[j - 1] + row[j + 1]) + f[j];
                    row[j] += omega * (gs - row[j]);
                }
            }

    double heat = 0, squares = 0;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= n; j++) {
            double x = u[(size_t)i * stride + j];
            heat += x;
            squares += x * x;
        }
    printf("stencil: %dx%d grid, %d Jacobi + %d SOR sweeps, centre %.4f\n", n, n,
           jacobi_iters[size], sor_iters[size], u[(size_t)(n / 2) * stride + n / 2]);
    int rc = dv_check_f64("stencil", size, "heat", heat, EXPECTED_HEAT, 1e-9);
    rc |= dv_check_f64("stencil", size, "squares", squares, EXPECTED_SQUARES, 1e-9);
    return rc;
}
