/*
 * nbody: gravitational N-body simulation in double precision.
 *
 * A central star with a generated system of planets on near-circular,
 * slightly inclined orbits, integrated with the kick-drift-kick leapfrog
 * scheme and full O(N^2) pairwise forces (with a small softening length).
 * The checksums are the total energy and the mean orbital radius after the
 * run; they are printed with 7 significant digits and compared with a
 * relative tolerance because RV64 fuses multiply-adds and x86-64 does not.
 */
#include <math.h>
#include "common.h"

static const double EXPECTED_ENERGY[2] = { -2.3590472657873077e-07, -6.3821504474180036e-07 };
static const double EXPECTED_RADIUS[2] = { 3.4102749025856172, 3.489564176952682 };

typedef struct {
    double x, y, z, vx, vy, vz, ax, ay, az, m;
} body;

#define G 1.0
#define SOFT2 1e-8

static void accelerations(body *b, int n)
{
    for (int i = 0; i < n; i++)
        b[i].ax = b[i].ay = b[i].az = 0.0;
    for (int i = 0; i < n; i++) {
        double xi = b[i].x, yi = b[i].y, zi = b[i].z;
        double axi = 0, ayi = 0, azi = 0, mi = b[i].m;
        for (int j = i + 1; j < n; j++) {
            double dx = b[j].x - xi, dy = b[j].y - yi, dz = b[j].z - zi;
            double r2 = dx * dx + dy * dy + dz * dz + SOFT2;
            double inv = 1.0 / (r2 * sqrt(r2));
            double fi = G * b[j].m * inv, fj = G * mi * inv;
            axi += dx * fi;
            ayi += dy * fi;
            azi += dz * fi;
            b[j].ax -= dx * fj;
            b[j].ay -= dy * fj;
            b[j].az -= dz * fj;
        }
        b[i].ax += axi;
        b[i].ay += ayi;
        b[i].az += azi;
    }
}

static double energy(const body *b, int n)
{
    double e = 0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y, dz = b[j].z - b[i].z;
            e -= G * b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz + SOFT2);
        }
    }
    return e;
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("nbody", argc, argv);
    static const int nbodies[2] = { 24, 64 };
    static const int steps[2] = { 1500, 20000 };
    int n = nbodies[size];
    body *b = dv_alloc((size_t)n * sizeof *b);
    dv_rng rng;
    dv_seed(&rng, 0xB0D1ull);

    /* star at the origin, planets at radii 1..6 */
    memset(b, 0, (size_t)n * sizeof *b);
    b[0].m = 1.0;
    for (int i = 1; i < n; i++) {
        double r = 1.0 + 5.0 * (double)(i - 1) / (double)(n - 1) + 0.05 * dv_unit(&rng);
        double phase = 6.283185307179586 * dv_unit(&rng);
        /* cos/sin of the phase by a short Taylor series (no libm dependence) */
        double p = phase - 3.141592653589793, p2 = p * p;
        double c = -(1 - p2 / 2 * (1 - p2 / 12 * (1 - p2 / 30 * (1 - p2 / 56 * (1 - p2 / 90 * (1 - p2 / 132))))));
        double s = -(p * (1 - p2 / 6 * (1 - p2 / 20 * (1 - p2 / 42 * (1 - p2 / 72 * (1 - p2 / 110 * (1 - p2 / 156)))))));
        double incl = 0.02 * (dv_unit(&rng) - 0.5);
        b[i].m = 1e-8 + 1e-7 * dv_unit(&rng);
        b[i].x = r * c;
        b[i].y = r * s;
        b[i].z = r * incl;
        double v = sqrt(G * b[0].m / r) * (1.0 + 0.01 * (dv_unit(&rng) - 0.5));
        b[i].vx = -v * s;
        b[i].vy = v * c;
        b[i].vz = 0.0;
    }
    /* move to the centre-of-momentum frame */
    double px = 0, py = 0, pz = 0, mt = 0;
    for (int i = 0; i < n; i++) {
        px += b[i].m * b[i].vx;
        py += b[i].m * b[i].vy;
        pz += b[i].m * b[i].vz;
        mt += b[i].m;
    }
    for (int i = 0; i < n; i++) {
        b[i].vx -= px / mt;
        b[i].vy -= py / mt;
        b[i].vz -= pz / mt;
    }

    double e0 = energy(b, n);
    const double dt = 0.002;
    accelerations(b, n);
    for (int s = 0; s < steps[size]; s++) {
        for (int i = 0; i < n; i++) {
            b[i].vx += 0.5 * dt * b[i].ax;
            b[i].vy += 0.5 * dt * b[i].ay;
            b[i].vz += 0.5 * dt * b[i].az;
            b[i].x += dt * b[i].vx;
            b[i].y += dt * b[i].vy;
            b[i].z += dt * b[i].vz;
        }
        accelerations(b, n);
        for (int i = 0; i < n; i++) {
            b[i].vx += 0.5 * dt * b[i].ax;
            b[i].vy += 0.5 * dt * b[i].ay;
            b[i].vz += 0.5 * dt * b[i].az;
        }
    }
    double e1 = energy(b, n);
    double rsum = 0;
    for (int i = 1; i < n; i++) {
        double dx = b[i].x - b[0].x, dy = b[i].y - b[0].y, dz = b[i].z - b[0].z;
        rsum += sqrt(dx * dx + dy * dy + dz * dz);
    }
    double rmean = rsum / (n - 1);
    printf("nbody: %d bodies, %d steps, relative energy drift %.1e\n", n, steps[size],
           (e1 - e0) / e0);
    int rc = dv_check_f64("nbody", size, "energy", e1, EXPECTED_ENERGY, 1e-9);
    rc |= dv_check_f64("nbody", size, "mean-radius", rmean, EXPECTED_RADIUS, 1e-9);
    return rc;
}
