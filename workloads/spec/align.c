/*
 * align: dynamic-programming sequence alignment of generated DNA.
 *
 * A random "ancestor" sequence is mutated (substitutions, insertions,
 * deletions) into related sequences.  Work:
 *  - Needleman-Wunsch global alignment with linear gap cost and a full
 *    traceback matrix; the alignment is reconstructed and re-scored, and its
 *    match/mismatch/gap counts are checked for consistency;
 *  - Smith-Waterman local alignment with affine gaps (Gotoh), score only, in
 *    linear memory, for many sequence pairs, also against unrelated random
 *    sequences.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x95afe10ac9bdbebeull, 0x1ad9cc9c6830791full };

static const char BASES[4] = { 'A', 'C', 'G', 'T' };

static void random_seq(dv_rng *r, unsigned char *s, int n)
{
    for (int i = 0; i < n; i++)
        s[i] = (unsigned char)BASES[dv_below(r, 4)];
}

/* Copies src into dst with about 'rate' percent mutations; returns length. */
static int mutate(dv_rng *r, const unsigned char *src, int n, unsigned char *dst, int cap, int rate)
{
    int o = 0;
    for (int i = 0; i < n && o < cap; i++) {
        uint32_t x = dv_below(r, 100);
        if (x >= (uint32_t)rate) {
            dst[o++] = src[i];
            continue;
        }
        switch (dv_below(r, 4)) {
        case 0:
        case 1: /* substitution */
            dst[o++] = (unsigned char)BASES[dv_below(r, 4)];
            break;
        case 2: /* deletion */
            break;
        default: /* insertion */
            dst[o++] = src[i];
            if (o < cap)
                dst[o++] = (unsigned char)BASES[dv_below(r, 4)];
            break;
        }
    }
    return o;
}

/* ---------- Needleman-Wunsch ---------- */

#define NW_MATCH 2
#define NW_MISMATCH (-1)
#define NW_GAP (-2)

enum { FROM_DIAG = 0, FROM_UP = 1, FROM_LEFT = 2 };

typedef struct {
    int score, matches, mismatches, gaps, length;
} nw_result;

static nw_result needleman_wunsch(const unsigned char *a, int n, const unsigned char *b, int m,
                                  unsigned char *tb, int *row)
{
    /* row[j] holds the score of the previous row; tb is (n+1) x (m+1) */
    for (int j = 0; j <= m; j++) {
        row[j] = j * NW_GAP;
        tb[j] = FROM_LEFT;
    }
    for (int i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = i * NW_GAP;
        unsigned char *t = tb + (size_t)i * (size_t)(m + 1);
        t[0] = FROM_UP;
        unsigned char ai = a[i - 1];
        for (int j = 1; j <= m; j++) {
            int best = diag + (ai == b[j - 1] ? NW_MATCH : NW_MISMATCH);
            unsigned char dir = FROM_DIAG;
            int up = row[j] + NW_GAP;
            int left = row[j - 1] + NW_GAP;
            if (up > best) {
                best = up;
                dir = FROM_UP;
            }
            if (left > best) {
                best = left;
                dir = FROM_LEFT;
            }
            diag = row[j];
            row[j] = best;
            t[j] = dir;
        }
    }
    nw_result res = { row[m], 0, 0, 0, 0 };
    /* traceback and re-score */
    int i = n, j = m, rescore = 0;
    while (i > 0 || j > 0) {
        unsigned char d = tb[(size_t)i * (size_t)(m + 1) + (size_t)j];
        if (i > 0 && j > 0 && d == FROM_DIAG) {
            if (a[i - 1] == b[j - 1]) {
                res.matches++;
                rescore += NW_MATCH;
            } else {
                res.mismatches++;
                rescore += NW_MISMATCH;
            }
            i--;
            j--;
        } else if (i > 0 && (d == FROM_UP || j == 0)) {
            res.gaps++;
            rescore += NW_GAP;
            i--;
        } else {
            res.gaps++;
            rescore += NW_GAP;
            j--;
        }
        res.length++;
    }
    if (rescore != res.score || 2 * (res.matches + res.mismatches) + res.gaps != n + m) {
        printf("align: traceback inconsistent (score %d vs %d)\n", rescore, res.score);
        exit(1);
    }
    return res;
}

/* ---------- Smith-Waterman with affine gaps ---------- */

#define SW_MATCH 3
#define SW_MISMATCH (-2)
#define SW_OPEN 5    /* cost of the first gap position */
#define SW_EXTEND 1  /* cost of each further position */

static int max2(int x, int y) { return x > y ? x : y; }

static int smith_waterman(const unsigned char *a, int n, const unsigned char *b, int m, int *H, int *E)
{
    /* H[j]: best score ending at (i, j); E[j]: best ending with a gap in a (vertical) */
    for (int j = 0; j <= m; j++) {
        H[j] = 0;
        E[j] = -(1 << 28);
    }
    int best = 0;
    for (int i = 1; i <= n; i++) {
        int diag = 0, F = -(1 << 28), left = 0;
        unsigned char ai = a[i - 1];
        for (int j = 1; j <= m; j++) {
            E[j] = max2(E[j] - SW_EXTEND, H[j] - SW_OPEN);
            F = max2(F - SW_EXTEND, left - SW_OPEN);
            int h = diag + (ai == b[j - 1] ? SW_MATCH : SW_MISMATCH);
            h = max2(h, E[j]);
            h = max2(h, F);
            h = max2(h, 0);
            diag = H[j];
            H[j] = h;
            left = h;
            if (h > best)
                best = h;
        }
    }
    return best;
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("align", argc, argv);
    static const int nw_len[2] = { 600, 4000 };
    static const int sw_len[2] = { 400, 2000 };
    static const int sw_pairs[2] = { 3, 28 };
    static const int rounds[2] = { 1, 3 };
    dv_rng rng;
    dv_seed(&rng, 0xA11Cull);
    uint64_t h = 0;

    int cap = 2 * (nw_len[size] > sw_len[size] ? nw_len[size] : sw_len[size]) + 8;
    unsigned char *anc = dv_alloc((size_t)cap);
    unsigned char *x = dv_alloc((size_t)cap);
    unsigned char *y = dv_alloc((size_t)cap);
    int *row = dv_alloc((size_t)cap * sizeof(int));
    int *E = dv_alloc((size_t)cap * sizeof(int));
    unsigned char *tb = dv_alloc((size_t)cap * (size_t)cap);

    for (int r = 0; r < rounds[size]; r++) {
        int n = nw_len[size];
        random_seq(&rng, anc, n);
        int lx = mutate(&rng, anc, n, x, cap, 10);
        int ly = mutate(&rng, anc, n, y, cap, 15);
        nw_result res = needleman_wunsch(x, lx, y, ly, tb, row);
        h = dv_mix(h, (uint64_t)(int64_t)res.score);
        h = dv_mix(h, (uint64_t)res.matches << 40 | (uint64_t)res.mismatches << 20 | (uint64_t)res.gaps);
        if (r == 0)
            printf("align: NW %dx%d score %d (%d matches, %d mismatches, %d gaps)\n", lx, ly,
                   res.score, res.matches, res.mismatches, res.gaps);

        int64_t total = 0;
        for (int p = 0; p < sw_pairs[size]; p++) {
            int len = sw_len[size];
            random_seq(&rng, anc, len);
            int la = mutate(&rng, anc, len, x, cap, 5 + p % 20);
            int lb;
            if (p % 4 == 3) {
                lb = len;
                random_seq(&rng, y, lb); /* unrelated */
            } else {
                /* related: a window of the ancestor, mutated */
                int off = (int)dv_below(&rng, (uint32_t)(len / 2));
                lb = mutate(&rng, anc + off, len - off, y, cap, 12);
            }
            int s = smith_waterman(x, la, y, lb, row, E);
            total += s;
            h = dv_mix(h, (uint64_t)s);
        }
        h = dv_mix(h, (uint64_t)total);
    }
    return dv_check_u64("align", size, h, EXPECTED);
}
