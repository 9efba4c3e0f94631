/*
 * game: alpha-beta game-tree search for connect-four (7 columns x 6 rows).
 *
 * Positions are 64-bit bitboards (7 bits per column, one sentinel bit).  The
 * search is a depth-limited negamax with alpha-beta pruning, iterative
 * deepening, a transposition table used for cutoffs and move ordering,
 * centre-first move ordering, immediate-win detection and a static evaluation
 * that scores all 69 four-in-a-row windows.  Several random openings are
 * searched; best moves, scores and node counts form the checksum.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x32355464ca61ff67ull, 0x6766fc03e170bda6ull };

#define W 7
#define H 6
#define WIN_SCORE 1000000
#define INF_SCORE 10000000

static uint64_t lines[69];
static int nlines;

static uint64_t bottom_mask(int col) { return 1ull << (col * (H + 1)); }
static uint64_t top_mask(int col) { return 1ull << (H - 1 + col * (H + 1)); }
static uint64_t column_mask(int col) { return ((1ull << H) - 1) << (col * (H + 1)); }
static uint64_t cell(int col, int row) { return 1ull << (col * (H + 1) + row); }

static int popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (int)((x * 0x0101010101010101ull) >> 56);
}

static void init_lines(void)
{
    static const int dirs[4][2] = { { 1, 0 }, { 0, 1 }, { 1, 1 }, { 1, -1 } };
    nlines = 0;
    for (int c = 0; c < W; c++)
        for (int r = 0; r < H; r++)
            for (int d = 0; d < 4; d++) {
                int ec = c + 3 * dirs[d][0], er = r + 3 * dirs[d][1];
                if (ec < 0 || ec >= W || er < 0 || er >= H)
                    continue;
                uint64_t m = 0;
                for (int k = 0; k < 4; k++)
                    m |= cell(c + k * dirs[d][0], r + k * dirs[d][1]);
                lines[nlines++] = m;
            }
}

static int is_win(uint64_t b)
{
    static const int shifts[4] = { 1, H + 1, H, H + 2 };
    for (int i = 0; i < 4; i++) {
        int s = shifts[i];
        uint64_t m = b & (b >> s);
        if (m & (m >> (2 * s)))
            return 1;
    }
    return 0;
}

static int evaluate(uint64_t cur, uint64_t mask)
{
    static const int weight[5] = { 0, 1, 8, 64, 0 };
    uint64_t opp = cur ^ mask;
    int score = 0;
    for (int i = 0; i < nlines; i++) {
        uint64_t l = lines[i];
        int a = popcount64(l & cur), o = popcount64(l & opp);
        if (o == 0)
            score += weight[a];
        else if (a == 0)
            score -= weight[o];
    }
    score += 3 * popcount64(cur & column_mask(3)) - 3 * popcount64(opp & column_mask(3));
    return score;
}

/* ---------- transposition table ---------- */

typedef struct {
    uint64_t key;
    int32_t value;
    int8_t depth;
    int8_t flag; /* 0 exact, 1 lower bound, 2 upper bound */
    int8_t move;
    int8_t pad;
} tt_entry;

static tt_entry *tt;
static uint64_t tt_mask;
static uint64_t nodes;

static const int ORDER[W] = { 3, 2, 4, 1, 5, 0, 6 };

static int negamax(uint64_t cur, uint64_t mask, int depth, int ply, int alpha, int beta, int *best_move)
{
    nodes++;
    int moves = popcount64(mask);
    if (moves == W * H)
        return 0;
    /* immediate win */
    for (int i = 0; i < W; i++) {
        int c = ORDER[i];
        if (mask & top_mask(c))
            continue;
        uint64_t s = (mask + bottom_mask(c)) & column_mask(c);
        if (is_win(cur | s)) {
            *best_move = c;
            return WIN_SCORE - ply;
        }
    }
    if (depth == 0)
        return evaluate(cur, mask);

    uint64_t key = cur + mask;
    tt_entry *e = &tt[(key * 0x9E3779B97F4A7C15ull >> 20) & tt_mask];
    int tt_move = -1;
    if (e->key == key) {
        tt_move = e->move;
        if (e->depth >= depth) {
            if (e->flag == 0) {
                *best_move = e->move;
                return e->value;
            }
            if (e->flag == 1 && e->value > alpha)
                alpha = e->value;
            else if (e->flag == 2 && e->value < beta)
                beta = e->value;
            if (alpha >= beta) {
                *best_move = e->move;
                return e->value;
            }
        }
    }

    int order[W + 1], n = 0;
    if (tt_move >= 0)
        order[n++] = tt_move;
    for (int i = 0; i < W; i++)
        if (ORDER[i] != tt_move)
            order[n++] = ORDER[i];

    int alpha0 = alpha, best = -INF_SCORE, bm = -1;
    for (int i = 0; i < n; i++) {
        int c = order[i];
        if (mask & top_mask(c))
            continue;
        uint64_t s = (mask + bottom_mask(c)) & column_mask(c);
        int child_move;
        int v = -negamax(cur ^ mask, mask | s, depth - 1, ply + 1, -beta, -alpha, &child_move);
        if (v > best) {
            best = v;
            bm = c;
        }
        if (v > alpha)
            alpha = v;
        if (alpha >= beta)
            break;
    }
    e->key = key;
    e->value = best;
    e->depth = (int8_t)depth;
    e->move = (int8_t)bm;
    e->flag = (int8_t)(best <= alpha0 ? 2 : best >= beta ? 1 : 0);
    *best_move = bm;
    return best;
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("game", argc, argv);
    static const int npos[2] = { 3, 18 };
    static const int max_depth[2] = { 7, 14 };
    static const int tt_bits[2] = { 14, 20 };
    init_lines();
    tt_mask = (1ull << tt_bits[size]) - 1;
    tt = dv_alloc(sizeof(tt_entry) << tt_bits[size]);
    dv_rng rng;
    dv_seed(&rng, 0xC4ull);
    uint64_t h = 0, total_nodes = 0;

    for (int p = 0; p < npos[size]; p++) {
        /* random opening of 2..9 plies that is not already decided */
        uint64_t cur = 0, mask = 0;
        int plies = 2 + (int)dv_below(&rng, 8);
        for (int k = 0; k < plies; k++) {
            int c;
            uint64_t s;
            int tries = 0;
            do {
                c = (int)dv_below(&rng, W);
                s = (mask + bottom_mask(c)) & column_mask(c);
                tries++;
            } while ((mask & top_mask(c)) || (is_win(cur | s) && tries < 50));
            cur ^= mask; /* the opponent's stones: they move next */
            mask |= s;
        }
        memset(tt, 0, sizeof(tt_entry) << tt_bits[size]);
        nodes = 0;
        int move = -1, score = 0;
        for (int d = 1; d <= max_depth[size]; d++) {
            score = negamax(cur, mask, d, 0, -INF_SCORE, INF_SCORE, &move);
            h = dv_mix(h, (uint64_t)(int64_t)score);
            h = dv_mix(h, (uint64_t)move);
            if (score > WIN_SCORE - 100 || score < -WIN_SCORE + 100)
                break;
        }
        h = dv_mix(h, nodes);
        total_nodes += nodes;
    }
    printf("game: %d positions, %llu nodes\n", npos[size], (unsigned long long)total_nodes);
    return dv_check_u64("game", size, h, EXPECTED);
}
