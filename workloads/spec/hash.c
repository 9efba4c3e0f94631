/*
 * hash: SHA-256 (FIPS 180-4) and table-driven CRC-32 (IEEE, reflected) over
 * generated buffers.  The implementations are first checked against the
 * standard test vectors; then a buffer is hashed repeatedly, each round
 * perturbing the buffer with the previous digest so no work can be skipped.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x1746a2613f4b620aull, 0x20646b56775e05a4ull };

/* ---------- SHA-256 ---------- */

typedef struct {
    uint32_t h[8];
    uint64_t len;       /* bytes processed */
    unsigned char buf[64];
    unsigned fill;
} sha256_ctx;

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror32(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t h[8], const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t S1 = ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = hh + S1 + ch + K256[i] + w[i];
        uint32_t S0 = ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d;
    h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

static void sha256_init(sha256_ctx *c)
{
    static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    memcpy(c->h, iv, sizeof iv);
    c->len = 0;
    c->fill = 0;
}

static void sha256_update(sha256_ctx *c, const unsigned char *p, size_t n)
{
    c->len += n;
    if (c->fill) {
        while (n && c->fill < 64) {
            c->buf[c->fill++] = *p++;
            n--;
        }
        if (c->fill < 64)
            return;
        sha256_block(c->h, c->buf);
        c->fill = 0;
    }
    while (n >= 64) {
        sha256_block(c->h, p);
        p += 64;
        n -= 64;
    }
    while (n--)
        c->buf[c->fill++] = *p++;
}

static void sha256_final(sha256_ctx *c, unsigned char out[32])
{
    uint64_t bits = c->len * 8;
    unsigned char pad = 0x80;
    sha256_update(c, &pad, 1);
    pad = 0;
    while (c->fill != 56)
        sha256_update(c, &pad, 1);
    unsigned char lenbuf[8];
    for (int i = 0; i < 8; i++)
        lenbuf[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(c, lenbuf, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

static void sha256(const unsigned char *p, size_t n, unsigned char out[32])
{
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, p, n);
    sha256_final(&c, out);
}

/* ---------- CRC-32 ---------- */

static uint32_t crc_table[256];

static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_update(uint32_t crc, const unsigned char *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static void hex(const unsigned char *d, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[64] = 0;
}

static void self_test(void)
{
    static const struct { const char *msg; const char *digest; } vec[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    unsigned char d[32];
    char h[65];
    for (unsigned i = 0; i < sizeof vec / sizeof vec[0]; i++) {
        sha256((const unsigned char *)vec[i].msg, strlen(vec[i].msg), d);
        hex(d, h);
        if (strcmp(h, vec[i].digest) != 0) {
            printf("hash: SHA-256 self-test %u failed: %s\n", i, h);
            exit(1);
        }
    }
    if (crc32_update(0, (const unsigned char *)"123456789", 9) != 0xCBF43926u) {
        printf("hash: CRC-32 self-test failed\n");
        exit(1);
    }
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("hash", argc, argv);
    static const size_t buf_len[2] = { 96 * 1024, 1024 * 1024 };
    static const int rounds[2] = { 1, 160 };

    crc32_init();
    self_test();

    size_t n = buf_len[size];
    unsigned char *buf = dv_alloc(n);
    dv_rng rng;
    dv_seed(&rng, 0x4a54ull);
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = dv_next(&rng);
        for (int k = 0; k < 8 && i + k < n; k++)
            buf[i + k] = (unsigned char)(v >> (8 * k));
    }

    uint64_t h = 0;
    unsigned char digest[32];
    uint32_t crc = 0;
    for (int r = 0; r < rounds[size]; r++) {
        /* whole-buffer digest, then incremental hashing in uneven pieces */
        sha256(buf, n, digest);
        sha256_ctx c;
        sha256_init(&c);
        size_t off = 0, piece = 1;
        while (off < n) {
            size_t take = piece < n - off ? piece : n - off;
            sha256_update(&c, buf + off, take);
            off += take;
            piece = piece * 3 % 1021 + 1;
        }
        unsigned char d2[32];
        sha256_final(&c, d2);
        if (memcmp(digest, d2, 32) != 0) {
            printf("hash: incremental SHA-256 differs in round %d\n", r);
            return 1;
        }
        crc = crc32_update(crc, buf, n);
        for (int i = 0; i < 32; i += 8) {
            uint64_t w = 0;
            for (int k = 0; k < 8; k++)
                w = w << 8 | digest[i + k];
            h = dv_mix(h, w);
        }
        h = dv_mix(h, crc);
        /* perturb the buffer with the digest at a digest-chosen offset */
        size_t at = ((size_t)digest[0] << 16 | (size_t)digest[1] << 8 | digest[2]) % (n - 32);
        for (int i = 0; i < 32; i++)
            buf[at + i] ^= digest[i];
    }
    return dv_check_u64("hash", size, h, EXPECTED);
}
