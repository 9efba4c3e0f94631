/*
 * compress: lossless compression round trips on generated text-like data.
 *
 *  - LZ77 with a 32 KiB window, hash chains and one-step lazy matching;
 *    output is a byte-oriented stream of flag bytes, literals and
 *    (length, distance) pairs.
 *  - LZW with variable-width codes (9..16 bits), LSB-first bit packing and
 *    a dictionary reset when the code space is exhausted.
 *
 * Each round generates a new input, compresses and decompresses it with both
 * coders, verifies the round trip and folds sizes and stream hashes into the
 * checksum.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x03712dd39408f70aull, 0xb7c4bf8f67b6093full };

/* ---------- input generator ---------- */

#define VOCAB 1500

static size_t put_uint(unsigned char *p, uint32_t v)
{
    unsigned char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (unsigned char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return (size_t)n;
}

static void generate(dv_rng *r, unsigned char *out, size_t n)
{
    static unsigned char words[VOCAB][12];
    static unsigned char wlen[VOCAB];
    static const char consonants[] = "tnshrdlcmwfgypbvkjxqz";
    static const char vowels[] = "eaoiuy";
    for (int w = 0; w < VOCAB; w++) {
        int len = 2 + (int)dv_below(r, 9);
        for (int k = 0; k < len; k++)
            words[w][k] = (unsigned char)((k & 1) ? vowels[dv_below(r, 6)]
                                                  : consonants[dv_below(r, 21) * dv_below(r, 22) / 21]);
        wlen[w] = (unsigned char)len;
    }
    size_t pos = 0;
    int col = 0;
    while (pos < n) {
        unsigned char tmp[64];
        size_t t = 0;
        uint32_t kind = dv_below(r, 100);
        if (kind < 4) {
            /* a "record" line with numbers */
            memcpy(tmp, "id=", 3);
            t = 3;
            t += put_uint(tmp + t, dv_below(r, 100000));
            memcpy(tmp + t, " value=", 7);
            t += 7;
            t += put_uint(tmp + t, dv_below(r, 1u << 20));
            tmp[t++] = '\n';
            col = 0;
        } else if (kind < 5) {
            /* noise bytes */
            int len = 1 + (int)dv_below(r, 24);
            for (int k = 0; k < len; k++)
                tmp[t++] = (unsigned char)dv_below(r, 256);
        } else {
            uint32_t w = dv_below(r, dv_below(r, VOCAB) + 1);
            memcpy(tmp, words[w], wlen[w]);
            t = wlen[w];
            if (kind < 12)
                tmp[t++] = ',';
            else if (kind < 16)
                tmp[t++] = '.';
            col += (int)t + 1;
            if (col > 72) {
                tmp[t++] = '\n';
                col = 0;
            } else {
                tmp[t++] = ' ';
            }
        }
        for (size_t k = 0; k < t && pos < n; k++)
            out[pos++] = tmp[k];
    }
}

static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---------- LZ77 ---------- */

#define WBITS 15
#define WSIZE (1u << WBITS)
#define WMASK (WSIZE - 1)
#define HBITS 15
#define HSIZE (1u << HBITS)
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 48
#define LAZY_LIMIT 32
#define NIL 0xFFFFFFFFu

static uint32_t head[HSIZE];
static uint32_t prevpos[WSIZE];

static uint32_t hash3(const unsigned char *p)
{
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - HBITS);
}

static void insert(const unsigned char *in, uint32_t pos)
{
    uint32_t h = hash3(in + pos);
    prevpos[pos & WMASK] = head[h];
    head[h] = pos;
}

/* Longest match for position pos, returns length and sets *dist. */
static uint32_t longest(const unsigned char *in, uint32_t n, uint32_t pos, uint32_t *dist)
{
    uint32_t best = 0;
    uint32_t cand = head[hash3(in + pos)];
    uint32_t limit = n - pos < MAX_MATCH ? n - pos : MAX_MATCH;
    int chain = MAX_CHAIN;
    while (cand != NIL && pos - cand <= WSIZE && chain-- > 0) {
        if (in[cand + best] == in[pos + best]) {
            uint32_t l = 0;
            while (l < limit && in[cand + l] == in[pos + l])
                l++;
            if (l > best) {
                best = l;
                *dist = pos - cand;
                if (l == limit)
                    break;
            }
        }
        uint32_t nx = prevpos[cand & WMASK];
        if (nx == NIL || nx >= cand)
            break;
        cand = nx;
    }
    return best;
}

static size_t lz77_compress(const unsigned char *in, uint32_t n, unsigned char *out)
{
    for (uint32_t i = 0; i < HSIZE; i++)
        head[i] = NIL;
    for (uint32_t i = 0; i < WSIZE; i++)
        prevpos[i] = NIL;
    size_t o = 0, flag_at = 0;
    int nbits = 8;
    uint32_t pos = 0;
#define EMIT_FLAG(bit)                        \
    do {                                      \
        if (nbits == 8) {                     \
            flag_at = o++;                    \
            out[flag_at] = 0;                 \
            nbits = 0;                        \
        }                                     \
        out[flag_at] |= (unsigned char)((bit) << nbits); \
        nbits++;                              \
    } while (0)
    while (pos < n) {
        uint32_t len = 0, dist = 0, indexed = pos; /* positions below 'indexed' are hashed */
        if (n - pos >= MIN_MATCH)
            len = longest(in, n, pos, &dist);
        if (len >= MIN_MATCH && len < LAZY_LIMIT && n - pos - 1 >= MIN_MATCH) {
            /* lazy evaluation: prefer a clearly longer match at the next byte */
            insert(in, pos);
            indexed = pos + 1;
            uint32_t d2 = 0, l2 = longest(in, n, pos + 1, &d2);
            if (l2 > len + 1) {
                EMIT_FLAG(0);
                out[o++] = in[pos];
                pos++;
                len = l2;
                dist = d2;
            }
        }
        if (len >= MIN_MATCH) {
            EMIT_FLAG(1);
            out[o++] = (unsigned char)(len - MIN_MATCH);
            out[o++] = (unsigned char)((dist - 1) & 0xFF);
            out[o++] = (unsigned char)((dist - 1) >> 8);
            for (uint32_t k = indexed; k < pos + len; k++)
                if (n - k >= MIN_MATCH)
                    insert(in, k);
            pos += len;
        } else {
            EMIT_FLAG(0);
            out[o++] = in[pos];
            if (indexed == pos && n - pos >= MIN_MATCH)
                insert(in, pos);
            pos++;
        }
    }
#undef EMIT_FLAG
    return o;
}

static size_t lz77_decompress(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned flags = in[i++];
        for (int b = 0; b < 8 && i < n; b++) {
            if (flags >> b & 1) {
                if (i + 3 > n)
                    return (size_t)-1;
                uint32_t len = in[i] + MIN_MATCH;
                uint32_t dist = ((uint32_t)in[i + 1] | (uint32_t)in[i + 2] << 8) + 1;
                i += 3;
                if (dist > o || o + len > cap)
                    return (size_t)-1;
                for (uint32_t k = 0; k < len; k++, o++)
                    out[o] = out[o - dist];
            } else {
                if (o >= cap)
                    return (size_t)-1;
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

/* ---------- LZW ---------- */

#define LZW_MAX_BITS 16
#define LZW_CODES (1u << LZW_MAX_BITS)
#define LZW_CLEAR 256
#define LZW_END 257
#define LZW_FIRST 258
#define LZW_HASH (1u << 17)

static uint32_t lzw_key[LZW_HASH];   /* (prefix << 8 | byte) + 1, 0 = empty */
static uint16_t lzw_val[LZW_HASH];

typedef struct {
    unsigned char *p;
    size_t o;
    uint64_t acc;
    int n;
} bitw;

static void put_bits(bitw *w, uint32_t v, int bits)
{
    w->acc |= (uint64_t)v << w->n;
    w->n += bits;
    while (w->n >= 8) {
        w->p[w->o++] = (unsigned char)w->acc;
        w->acc >>= 8;
        w->n -= 8;
    }
}

static size_t lzw_compress(const unsigned char *in, size_t n, unsigned char *out)
{
    bitw w = { out, 0, 0, 0 };
    memset(lzw_key, 0, sizeof lzw_key);
    uint32_t next = LZW_FIRST;
    int bits = 9;
    if (n == 0) {
        put_bits(&w, LZW_END, bits);
    } else {
        uint32_t cur = in[0];
        for (size_t i = 1; i < n; i++) {
            uint32_t key = (cur << 8 | in[i]) + 1;
            uint32_t h = (key * 2654435761u) >> (32 - 17);
            while (lzw_key[h] && lzw_key[h] != key)
                h = (h + 1) & (LZW_HASH - 1);
            if (lzw_key[h]) {
                cur = lzw_val[h];
                continue;
            }
            put_bits(&w, cur, bits);
            if (next < LZW_CODES) {
                lzw_key[h] = key;
                lzw_val[h] = (uint16_t)next;
                next++;
                if (next > (1u << bits) && bits < LZW_MAX_BITS)
                    bits++;
            } else {
                put_bits(&w, LZW_CLEAR, bits);
                memset(lzw_key, 0, sizeof lzw_key);
                next = LZW_FIRST;
                bits = 9;
            }
            cur = in[i];
        }
        put_bits(&w, cur, bits);
        if (next < LZW_CODES && next + 1 > (1u << bits) && bits < LZW_MAX_BITS)
            bits++; /* the decoder adds an entry after this code too */
        put_bits(&w, LZW_END, bits);
    }
    if (w.n)
        put_bits(&w, 0, 8 - w.n);
    return w.o;
}

static uint16_t dec_prefix[LZW_CODES];
static unsigned char dec_byte[LZW_CODES];
static unsigned char dec_stack[LZW_CODES];

static size_t lzw_decompress(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
    size_t i = 0, o = 0;
    uint64_t acc = 0;
    int have = 0, bits = 9;
    uint32_t next = LZW_FIRST, prev = NIL;
    unsigned char first = 0;
    for (;;) {
        while (have < bits) {
            if (i >= n)
                return (size_t)-1;
            acc |= (uint64_t)in[i++] << have;
            have += 8;
        }
        uint32_t code = (uint32_t)(acc & ((1u << bits) - 1));
        acc >>= bits;
        have -= bits;
        if (code == LZW_END)
            return o;
        if (code == LZW_CLEAR) {
            next = LZW_FIRST;
            bits = 9;
            prev = NIL;
            continue;
        }
        uint32_t c = code;
        int sp = 0;
        if (code >= next) {
            if (code != next || prev == NIL)
                return (size_t)-1;
            dec_stack[sp++] = first; /* KwKwK case */
            c = prev;
        }
        while (c >= 256) {
            dec_stack[sp++] = dec_byte[c];
            c = dec_prefix[c];
        }
        dec_stack[sp++] = (unsigned char)c;
        first = (unsigned char)c;
        if (o + (size_t)sp > cap)
            return (size_t)-1;
        while (sp)
            out[o++] = dec_stack[--sp];
        if (prev != NIL && next < LZW_CODES) {
            dec_prefix[next] = (uint16_t)prev;
            dec_byte[next] = first;
            next++;
        }
        if (next + 1 > (1u << bits) && bits < LZW_MAX_BITS && next < LZW_CODES)
            bits++;
        prev = code;
    }
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("compress", argc, argv);
    static const uint32_t in_len[2] = { 40000, 1 << 20 };
    static const int rounds[2] = { 1, 28 };
    uint32_t n = in_len[size];
    unsigned char *in = dv_alloc(n);
    unsigned char *comp = dv_alloc((size_t)n * 2 + 64);
    unsigned char *back = dv_alloc(n);
    dv_rng rng;
    dv_seed(&rng, 0xC0DEull);
    uint64_t h = 0;

    for (int r = 0; r < rounds[size]; r++) {
        generate(&rng, in, n);

        size_t clen = lz77_compress(in, n, comp);
        size_t dlen = lz77_decompress(comp, clen, back, n);
        if (dlen != n || memcmp(in, back, n) != 0) {
            printf("compress: LZ77 round trip failed in round %d\n", r);
            return 1;
        }
        h = dv_mix(h, clen);
        h = dv_mix(h, fnv1a(comp, clen));

        size_t wlen = lzw_compress(in, n, comp);
        dlen = lzw_decompress(comp, wlen, back, n);
        if (dlen != n || memcmp(in, back, n) != 0) {
            printf("compress: LZW round trip failed in round %d\n", r);
            return 1;
        }
        h = dv_mix(h, wlen);
        h = dv_mix(h, fnv1a(comp, wlen));
        if (r == 0)
            printf("compress: %u bytes -> LZ77 %lu, LZW %lu\n", n, (unsigned long)clen,
                   (unsigned long)wlen);
    }
    return dv_check_u64("compress", size, h, EXPECTED);
}
