/*
 * graph: shortest paths and spanning trees on a generated sparse graph.
 *
 * The graph is a random "geometric-ish" digraph in CSR form: every vertex has
 * a ring edge (so everything is reachable) plus random edges, mostly to
 * nearby vertices.  Work per round:
 *  - Dijkstra from several sources with an indexed binary heap
 *    (decrease-key), checked against the triangle inequality on every edge;
 *  - breadth-first hop counts from the same source;
 *  - Kruskal minimum spanning forest of the undirected version using a
 *    counting sort on weights and union-find with path halving.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0xb0e4a6ca43e2374aull, 0x022cba1671cf3d09ull };

#define INF 0xFFFFFFFFFFFFFFFFull
#define MAXW 1000u

typedef struct {
    uint32_t n, m;
    uint32_t *start;   /* n+1 */
    uint32_t *dst;     /* m */
    uint32_t *w;       /* m */
} graph;

static void build_graph(dv_rng *r, graph *g, uint32_t n, uint32_t extra_deg)
{
    uint32_t m = n * (1 + extra_deg);
    g->n = n;
    g->m = m;
    g->start = dv_alloc((size_t)(n + 1) * sizeof(uint32_t));
    g->dst = dv_alloc((size_t)m * sizeof(uint32_t));
    g->w = dv_alloc((size_t)m * sizeof(uint32_t));
    uint32_t e = 0;
    for (uint32_t v = 0; v < n; v++) {
        g->start[v] = e;
        g->dst[e] = (v + 1) % n;
        g->w[e++] = MAXW / 2 + dv_below(r, MAXW / 2);
        for (uint32_t k = 0; k < extra_deg; k++) {
            uint32_t u;
            if (dv_below(r, 8) == 0)
                u = dv_below(r, n);                         /* long-range */
            else
                u = (v + n - 64 + dv_below(r, 129)) % n;    /* local */
            g->dst[e] = u;
            g->w[e++] = 1 + dv_below(r, MAXW);
        }
    }
    g->start[n] = e;
}

/* ---------- indexed binary min-heap keyed by dist[] ---------- */

typedef struct {
    uint32_t *heap;   /* vertex ids */
    uint32_t *pos;    /* position in heap or NOPOS */
    uint64_t *key;
    uint32_t size;
} pq;

#define NOPOS 0xFFFFFFFFu

static void pq_up(pq *q, uint32_t i)
{
    uint32_t v = q->heap[i];
    uint64_t k = q->key[v];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        uint32_t pv = q->heap[p];
        if (q->key[pv] < k || (q->key[pv] == k && pv < v))
            break;
        q->heap[i] = pv;
        q->pos[pv] = i;
        i = p;
    }
    q->heap[i] = v;
    q->pos[v] = i;
}

static void pq_down(pq *q, uint32_t i)
{
    uint32_t v = q->heap[i];
    uint64_t k = q->key[v];
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= q->size)
            break;
        if (c + 1 < q->size) {
            uint32_t a = q->heap[c], b = q->heap[c + 1];
            if (q->key[b] < q->key[a] || (q->key[b] == q->key[a] && b < a))
                c++;
        }
        uint32_t cv = q->heap[c];
        if (k < q->key[cv] || (k == q->key[cv] && v < cv))
            break;
        q->heap[i] = cv;
        q->pos[cv] = i;
        i = c;
    }
    q->heap[i] = v;
    q->pos[v] = i;
}

static uint64_t dijkstra(const graph *g, uint32_t src, uint64_t *dist, pq *q, uint64_t *relax)
{
    for (uint32_t v = 0; v < g->n; v++) {
        dist[v] = INF;
        q->pos[v] = NOPOS;
    }
    q->key = dist;
    q->size = 0;
    dist[src] = 0;
    q->heap[q->size++] = src;
    pq_up(q, 0);
    uint64_t settled = 0;
    while (q->size) {
        uint32_t v = q->heap[0];
        q->pos[v] = NOPOS;
        q->size--;
        if (q->size) {
            q->heap[0] = q->heap[q->size];
            pq_down(q, 0);
        }
        settled++;
        for (uint32_t e = g->start[v]; e < g->start[v + 1]; e++) {
            uint32_t u = g->dst[e];
            uint64_t nd = dist[v] + g->w[e];
            if (nd < dist[u]) {
                (*relax)++;
                if (dist[u] == INF) {
                    dist[u] = nd;
                    q->heap[q->size] = u;
                    q->pos[u] = q->size;
                    q->size++;
                    pq_up(q, q->size - 1);
                } else {
                    dist[u] = nd;
                    pq_up(q, q->pos[u]);
                }
            }
        }
    }
    return settled;
}

static void bfs(const graph *g, uint32_t src, uint32_t *hops, uint32_t *queue)
{
    for (uint32_t v = 0; v < g->n; v++)
        hops[v] = NOPOS;
    uint32_t head = 0, tail = 0;
    hops[src] = 0;
    queue[tail++] = src;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t e = g->start[v]; e < g->start[v + 1]; e++) {
            uint32_t u = g->dst[e];
            if (hops[u] == NOPOS) {
                hops[u] = hops[v] + 1;
                queue[tail++] = u;
            }
        }
    }
}

static uint32_t uf_find(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

/* Kruskal over all edges treated as undirected; returns total weight. */
static uint64_t kruskal(const graph *g, uint32_t *order, uint32_t *src_of, uint32_t *parent,
                        uint32_t *rank, uint32_t *components)
{
    static uint32_t count[MAXW + 2];
    memset(count, 0, sizeof count);
    for (uint32_t v = 0; v < g->n; v++)
        for (uint32_t e = g->start[v]; e < g->start[v + 1]; e++) {
            src_of[e] = v;
            count[g->w[e] + 1]++;
        }
    for (uint32_t i = 1; i <= MAXW + 1; i++)
        count[i] += count[i - 1];
    for (uint32_t e = 0; e < g->m; e++)
        order[count[g->w[e]]++] = e;
    for (uint32_t v = 0; v < g->n; v++) {
        parent[v] = v;
        rank[v] = 0;
    }
    uint64_t total = 0;
    uint32_t comps = g->n;
    for (uint32_t i = 0; i < g->m && comps > 1; i++) {
        uint32_t e = order[i];
        uint32_t a = uf_find(parent, src_of[e]), b = uf_find(parent, g->dst[e]);
        if (a == b)
            continue;
        if (rank[a] < rank[b]) {
            uint32_t t = a;
            a = b;
            b = t;
        }
        parent[b] = a;
        if (rank[a] == rank[b])
            rank[a]++;
        total += g->w[e];
        comps--;
    }
    *components = comps;
    return total;
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("graph", argc, argv);
    static const uint32_t nverts[2] = { 12000, 250000 };
    static const uint32_t sources[2] = { 2, 14 };
    static const int rounds[2] = { 1, 2 };
    dv_rng rng;
    dv_seed(&rng, 0x6EA9ull);
    uint64_t h = 0;

    for (int r = 0; r < rounds[size]; r++) {
        graph g;
        build_graph(&rng, &g, nverts[size], 5);
        uint32_t n = g.n;
        uint64_t *dist = dv_alloc((size_t)n * sizeof *dist);
        uint32_t *hops = dv_alloc((size_t)n * sizeof *hops);
        uint32_t *queue = dv_alloc((size_t)n * sizeof *queue);
        pq q = { dv_alloc((size_t)n * sizeof(uint32_t)), dv_alloc((size_t)n * sizeof(uint32_t)), 0, 0 };

        for (uint32_t s = 0; s < sources[size]; s++) {
            uint32_t src = dv_below(&rng, n);
            uint64_t relax = 0;
            uint64_t settled = dijkstra(&g, src, dist, &q, &relax);
            uint64_t sum = 0, maxd = 0;
            for (uint32_t v = 0; v < n; v++) {
                for (uint32_t e = g.start[v]; e < g.start[v + 1]; e++)
                    if (dist[g.dst[e]] > dist[v] + g.w[e]) {
                        printf("graph: triangle inequality violated at %u\n", v);
                        return 1;
                    }
                sum += dist[v];
                if (dist[v] > maxd)
                    maxd = dist[v];
            }
            bfs(&g, src, hops, queue);
            uint64_t hsum = 0;
            for (uint32_t v = 0; v < n; v++)
                hsum += hops[v];
            h = dv_mix(h, settled);
            h = dv_mix(h, relax);
            h = dv_mix(h, sum);
            h = dv_mix(h, maxd);
            h = dv_mix(h, hsum);
            for (uint32_t v = 0; v < n; v += 97)
                h = dv_mix(h, dist[v]);
        }

        uint32_t *order = dv_alloc((size_t)g.m * sizeof(uint32_t));
        uint32_t *src_of = dv_alloc((size_t)g.m * sizeof(uint32_t));
        uint32_t *parent = dv_alloc((size_t)n * sizeof(uint32_t));
        uint32_t *rank = dv_alloc((size_t)n * sizeof(uint32_t));
        uint32_t comps = 0;
        uint64_t mst = kruskal(&g, order, src_of, parent, rank, &comps);
        h = dv_mix(h, mst);
        h = dv_mix(h, comps);
        if (r == 0)
            printf("graph: %u vertices, %u edges, MST weight %llu\n", n, g.m,
                   (unsigned long long)mst);

        free(order); free(src_of); free(parent); free(rank);
        free(dist); free(hops); free(queue); free(q.heap); free(q.pos);
        free(g.start); free(g.dst); free(g.w);
    }
    return dv_check_u64("graph", size, h, EXPECTED);
}
