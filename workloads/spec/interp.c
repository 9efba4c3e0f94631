/*
 * interp: a compiler and bytecode interpreter for a tiny imperative language.
 *
 * Source text (an embedded program plus randomly generated expressions) is
 * tokenised, parsed by recursive descent into stack-machine bytecode and run
 * by a switch-dispatched virtual machine.  The language has 64-bit integer
 * variables, one global array mem[], while/if/else, the usual arithmetic,
 * comparison and logical operators, and "emit e;" which folds a value into
 * the checksum.  Arithmetic wraps; division by zero yields 0.
 */
#include "common.h"

static const uint64_t EXPECTED[2] = { 0x72461e6e59888f85ull, 0x5e49a4b3aa5fd4e3ull };

/* ---------- lexer ---------- */

enum {
    T_EOF, T_NUM, T_ID, T_WHILE, T_IF, T_ELSE, T_EMIT,
    T_LP, T_RP, T_LB, T_RB, T_LS, T_RS, T_SEMI, T_ASSIGN,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PCT, T_LT, T_LE, T_GT, T_GE, T_EQ, T_NE,
    T_ANDAND, T_OROR, T_NOT
};

typedef struct {
    const char *src;
    size_t pos;
    int tok;
    int64_t num;
    char id[24];
    int line;
} lexer;

static void die(const lexer *lx, const char *msg)
{
    printf("interp: compile error line %d: %s\n", lx->line, msg);
    exit(1);
}

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }

static void next(lexer *lx)
{
    const unsigned char *s = (const unsigned char *)lx->src;
    for (;;) {
        int c = s[lx->pos];
        if (c == '\n') {
            lx->line++;
            lx->pos++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->pos++;
        } else if (c == '#') {
            while (s[lx->pos] && s[lx->pos] != '\n')
                lx->pos++;
        } else {
            break;
        }
    }
    int c = s[lx->pos];
    if (c == 0) {
        lx->tok = T_EOF;
        return;
    }
    if (is_digit(c)) {
        int64_t v = 0;
        while (is_digit(s[lx->pos]))
            v = v * 10 + (s[lx->pos++] - '0');
        lx->tok = T_NUM;
        lx->num = v;
        return;
    }
    if (is_alpha(c)) {
        int n = 0;
        while (is_alpha(s[lx->pos]) || is_digit(s[lx->pos])) {
            if (n < 23)
                lx->id[n++] = (char)s[lx->pos];
            lx->pos++;
        }
        lx->id[n] = 0;
        if (!strcmp(lx->id, "while")) lx->tok = T_WHILE;
        else if (!strcmp(lx->id, "if")) lx->tok = T_IF;
        else if (!strcmp(lx->id, "else")) lx->tok = T_ELSE;
        else if (!strcmp(lx->id, "emit")) lx->tok = T_EMIT;
        else lx->tok = T_ID;
        return;
    }
    int d = s[lx->pos + 1];
    lx->pos++;
    switch (c) {
    case '(': lx->tok = T_LP; return;
    case ')': lx->tok = T_RP; return;
    case '{': lx->tok = T_LB; return;
    case '}': lx->tok = T_RB; return;
    case '[': lx->tok = T_LS; return;
    case ']': lx->tok = T_RS; return;
    case ';': lx->tok = T_SEMI; return;
    case '+': lx->tok = T_PLUS; return;
    case '-': lx->tok = T_MINUS; return;
    case '*': lx->tok = T_STAR; return;
    case '/': lx->tok = T_SLASH; return;
    case '%': lx->tok = T_PCT; return;
    case '<': if (d == '=') { lx->pos++; lx->tok = T_LE; } else lx->tok = T_LT; return;
    case '>': if (d == '=') { lx->pos++; lx->tok = T_GE; } else lx->tok = T_GT; return;
    case '=': if (d == '=') { lx->pos++; lx->tok = T_EQ; } else lx->tok = T_ASSIGN; return;
    case '!': if (d == '=') { lx->pos++; lx->tok = T_NE; } else lx->tok = T_NOT; return;
    case '&': if (d == '&') { lx->pos++; lx->tok = T_ANDAND; return; } break;
    case '|': if (d == '|') { lx->pos++; lx->tok = T_OROR; return; } break;
    }
    die(lx, "bad character");
}

/* ---------- code generation ---------- */

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ALOAD, OP_ASTORE,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
    OP_AND, OP_OR, OP_NOT, OP_NEG, OP_JMP, OP_JZ, OP_EMIT
};

#define MAX_CODE 65536
#define MAX_VARS 64
#define MEM_SIZE (1 << 20)

typedef struct {
    lexer lx;
    int32_t code[MAX_CODE];
    int ncode;
    char vars[MAX_VARS][24];
    int nvars;
} compiler;

static void emit1(compiler *c, int32_t v)
{
    if (c->ncode >= MAX_CODE)
        die(&c->lx, "program too large");
    c->code[c->ncode++] = v;
}

static int var_index(compiler *c, const char *name)
{
    for (int i = 0; i < c->nvars; i++)
        if (!strcmp(c->vars[i], name))
            return i;
    if (c->nvars == MAX_VARS)
        die(&c->lx, "too many variables");
    strcpy(c->vars[c->nvars], name);
    return c->nvars++;
}

static void expect(compiler *c, int tok, const char *what)
{
    if (c->lx.tok != tok)
        die(&c->lx, what);
    next(&c->lx);
}

static void expr(compiler *c);

static void primary(compiler *c)
{
    lexer *lx = &c->lx;
    if (lx->tok == T_NUM) {
        emit1(c, OP_PUSH);
        emit1(c, (int32_t)lx->num);
        next(lx);
    } else if (lx->tok == T_ID) {
        int v = var_index(c, lx->id);
        int is_mem = !strcmp(lx->id, "mem");
        next(lx);
        if (is_mem && lx->tok == T_LS) {
            next(lx);
            expr(c);
            expect(c, T_RS, "expected ]");
            emit1(c, OP_ALOAD);
        } else {
            emit1(c, OP_LOAD);
            emit1(c, v);
        }
    } else if (lx->tok == T_LP) {
        next(lx);
        expr(c);
        expect(c, T_RP, "expected )");
    } else {
        die(lx, "expected expression");
    }
}

static void unary(compiler *c)
{
    if (c->lx.tok == T_MINUS) {
        next(&c->lx);
        unary(c);
        emit1(c, OP_NEG);
    } else if (c->lx.tok == T_NOT) {
        next(&c->lx);
        unary(c);
        emit1(c, OP_NOT);
    } else {
        primary(c);
    }
}

/* precedence climbing over binary operators */
static int binop(int tok, int *prec)
{
    switch (tok) {
    case T_OROR: *prec = 1; return OP_OR;
    case T_ANDAND: *prec = 2; return OP_AND;
    case T_EQ: *prec = 3; return OP_EQ;
    case T_NE: *prec = 3; return OP_NE;
    case T_LT: *prec = 4; return OP_LT;
    case T_LE: *prec = 4; return OP_LE;
    case T_GT: *prec = 4; return OP_GT;
    case T_GE: *prec = 4; return OP_GE;
    case T_PLUS: *prec = 5; return OP_ADD;
    case T_MINUS: *prec = 5; return OP_SUB;
    case T_STAR: *prec = 6; return OP_MUL;
    case T_SLASH: *prec = 6; return OP_DIV;
    case T_PCT: *prec = 6; return OP_MOD;
    default: return -1;
    }
}

static void expr_prec(compiler *c, int min_prec)
{
    unary(c);
    for (;;) {
        int prec, op = binop(c->lx.tok, &prec);
        if (op < 0 || prec < min_prec)
            return;
        next(&c->lx);
        expr_prec(c, prec + 1);
        emit1(c, op);
    }
}

static void expr(compiler *c) { expr_prec(c, 1); }

static void statement(compiler *c);

static void block(compiler *c)
{
    expect(c, T_LB, "expected {");
    while (c->lx.tok != T_RB && c->lx.tok != T_EOF)
        statement(c);
    expect(c, T_RB, "expected }");
}

static void statement(compiler *c)
{
    lexer *lx = &c->lx;
    switch (lx->tok) {
    case T_LB:
        block(c);
        return;
    case T_WHILE: {
        next(lx);
        int top = c->ncode;
        expect(c, T_LP, "expected (");
        expr(c);
        expect(c, T_RP, "expected )");
        emit1(c, OP_JZ);
        int patch = c->ncode;
        emit1(c, 0);
        block(c);
        emit1(c, OP_JMP);
        emit1(c, top);
        c->code[patch] = c->ncode;
        return;
    }
    case T_IF: {
        next(lx);
        expect(c, T_LP, "expected (");
        expr(c);
        expect(c, T_RP, "expected )");
        emit1(c, OP_JZ);
        int patch = c->ncode;
        emit1(c, 0);
        block(c);
        if (lx->tok == T_ELSE) {
            next(lx);
            emit1(c, OP_JMP);
            int patch2 = c->ncode;
            emit1(c, 0);
            c->code[patch] = c->ncode;
            if (lx->tok == T_IF)
                statement(c);
            else
                block(c);
            c->code[patch2] = c->ncode;
        } else {
            c->code[patch] = c->ncode;
        }
        return;
    }
    case T_EMIT:
        next(lx);
        expr(c);
        expect(c, T_SEMI, "expected ;");
        emit1(c, OP_EMIT);
        return;
    case T_ID: {
        int is_mem = !strcmp(lx->id, "mem");
        int v = var_index(c, lx->id);
        next(lx);
        if (is_mem && lx->tok == T_LS) {
            next(lx);
            expr(c);
            expect(c, T_RS, "expected ]");
            expect(c, T_ASSIGN, "expected =");
            expr(c);
            expect(c, T_SEMI, "expected ;");
            emit1(c, OP_ASTORE);
        } else {
            expect(c, T_ASSIGN, "expected =");
            expr(c);
            expect(c, T_SEMI, "expected ;");
            emit1(c, OP_STORE);
            emit1(c, v);
        }
        return;
    }
    default:
        die(lx, "expected statement");
    }
}

static compiler *compile(const char *src)
{
    static compiler comp;
    compiler *c = &comp;
    memset(c, 0, sizeof *c);
    c->lx.src = src;
    c->lx.line = 1;
    next(&c->lx);
    while (c->lx.tok != T_EOF)
        statement(c);
    emit1(c, OP_HALT);
    return c;
}

/* ---------- virtual machine ---------- */

typedef struct {
    uint64_t checksum;
    uint64_t emitted;
    uint64_t steps;
} vm_result;

static int64_t mem[MEM_SIZE];

static vm_result run(const compiler *c, int64_t *vars)
{
    int64_t stack[256];
    int sp = 0;
    const int32_t *code = c->code;
    int pc = 0;
    vm_result res = { 0, 0, 0 };
    for (;;) {
        res.steps++;
        int32_t op = code[pc++];
        switch (op) {
        case OP_HALT:
            return res;
        case OP_PUSH: stack[sp++] = code[pc++]; break;
        case OP_LOAD: stack[sp++] = vars[code[pc++]]; break;
        case OP_STORE: vars[code[pc++]] = stack[--sp]; break;
        case OP_ALOAD: stack[sp - 1] = mem[(uint64_t)stack[sp - 1] & (MEM_SIZE - 1)]; break;
        case OP_ASTORE:
            mem[(uint64_t)stack[sp - 2] & (MEM_SIZE - 1)] = stack[sp - 1];
            sp -= 2;
            break;
#define BIN(OPC, EXPR) case OPC: { int64_t b = stack[--sp], a = stack[sp - 1]; stack[sp - 1] = (EXPR); } break;
        BIN(OP_ADD, (int64_t)((uint64_t)a + (uint64_t)b))
        BIN(OP_SUB, (int64_t)((uint64_t)a - (uint64_t)b))
        BIN(OP_MUL, (int64_t)((uint64_t)a * (uint64_t)b))
        BIN(OP_DIV, b == 0 ? 0 : (b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b))
        BIN(OP_MOD, b == 0 || b == -1 ? 0 : a % b)
        BIN(OP_LT, a < b)
        BIN(OP_LE, a <= b)
        BIN(OP_GT, a > b)
        BIN(OP_GE, a >= b)
        BIN(OP_EQ, a == b)
        BIN(OP_NE, a != b)
        BIN(OP_AND, a != 0 && b != 0)
        BIN(OP_OR, a != 0 || b != 0)
#undef BIN
        case OP_NOT: stack[sp - 1] = !stack[sp - 1]; break;
        case OP_NEG: stack[sp - 1] = (int64_t)(0 - (uint64_t)stack[sp - 1]); break;
        case OP_JMP: pc = code[pc]; break;
        case OP_JZ:
            if (stack[--sp] == 0)
                pc = code[pc];
            else
                pc++;
            break;
        case OP_EMIT:
            res.checksum = dv_mix(res.checksum, (uint64_t)stack[--sp]);
            res.emitted++;
            break;
        default:
            printf("interp: bad opcode %d at %d\n", op, pc - 1);
            exit(1);
        }
        if (sp < 0 || sp > 250) {
            printf("interp: stack fault at %d\n", pc);
            exit(1);
        }
    }
}

static const char PROGRAM[] =
    "# sieve of Eratosthenes below n\n"
    "i = 2; while (i < n) { mem[i] = 1; i = i + 1; }\n"
    "i = 2;\n"
    "while (i * i < n) {\n"
    "  if (mem[i]) { j = i * i; while (j < n) { mem[j] = 0; j = j + i; } }\n"
    "  i = i + 1;\n"
    "}\n"
    "count = 0; last = 0; i = 2;\n"
    "while (i < n) { if (mem[i]) { count = count + 1; last = i; } i = i + 1; }\n"
    "emit count; emit last;\n"
    "# longest Collatz chain below c\n"
    "best = 0; bestlen = 0; k = 1;\n"
    "while (k < c) {\n"
    "  v = k; len = 0;\n"
    "  while (v != 1) { if (v % 2) { v = 3 * v + 1; } else { v = v / 2; } len = len + 1; }\n"
    "  if (len > bestlen) { bestlen = len; best = k; }\n"
    "  k = k + 1;\n"
    "}\n"
    "emit best; emit bestlen;\n"
    "# sum of gcd(a, b) for 1 <= a, b < g\n"
    "s = 0; a = 1;\n"
    "while (a < g) {\n"
    "  b = 1;\n"
    "  while (b < g) { x = a; y = b; while (y) { t = x % y; x = y; y = t; } s = s + x; b = b + 1; }\n"
    "  a = a + 1;\n"
    "}\n"
    "emit s;\n"
    "# insertion sort of an LCG sequence in mem[0..q)\n"
    "seed = 12345; i = 0;\n"
    "while (i < q) { seed = (seed * 1103515245 + 12345) % 2147483648; mem[i] = seed % 100000; i = i + 1; }\n"
    "i = 1;\n"
    "while (i < q) {\n"
    "  v = mem[i]; j = i - 1;\n"
    "  while (j >= 0 && mem[j] > v) { mem[j + 1] = mem[j]; j = j - 1; }\n"
    "  mem[j + 1] = v; i = i + 1;\n"
    "}\n"
    "i = 0; h = 0; while (i < q) { h = (h * 31 + mem[i]) % 1000000007; i = i + 1; }\n"
    "emit h; emit mem[0]; emit mem[q - 1];\n";

/* Appends a random expression over x and y to buf. */
static void gen_expr(dv_rng *r, char *buf, size_t *len, size_t cap, int depth)
{
    static const char *const ops[] = { "+", "-", "*", "/", "%", "<", "<=", ">", "==", "!=", "&&", "||", "+", "-", "*" };
    char tmp[32];
    if (depth == 0 || dv_below(r, 4) == 0) {
        uint32_t k = dv_below(r, 5);
        if (k == 0)
            strcpy(tmp, "x");
        else if (k == 1)
            strcpy(tmp, "y");
        else if (k == 2)
            strcpy(tmp, "mem[x]");
        else {
            uint32_t v = dv_below(r, 1000);
            int n = 0;
            char d[12];
            do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v);
            for (int i = 0; i < n; i++)
                tmp[i] = d[n - 1 - i];
            tmp[n] = 0;
        }
        size_t l = strlen(tmp);
        if (*len + l < cap) {
            memcpy(buf + *len, tmp, l);
            *len += l;
        }
        return;
    }
    int unary = dv_below(r, 8) == 0;
    const char *op = ops[dv_below(r, sizeof ops / sizeof ops[0])];
    if (*len + 8 >= cap)
        return;
    if (unary)
        buf[(*len)++] = '-';
    buf[(*len)++] = '(';
    gen_expr(r, buf, len, cap, depth - 1);
    buf[(*len)++] = ' ';
    for (const char *p = op; *p; p++)
        buf[(*len)++] = *p;
    buf[(*len)++] = ' ';
    gen_expr(r, buf, len, cap, depth - 1);
    if (*len + 1 < cap)
        buf[(*len)++] = ')';
}

int main(int argc, char **argv)
{
    int size = dv_parse_size("interp", argc, argv);
    /* parameters of the embedded program: n (sieve), c (collatz), g (gcd), q (sort) */
    static const int64_t pn[2] = { 6000, 1000000 };
    static const int64_t pc[2] = { 500, 120000 };
    static const int64_t pg[2] = { 25, 300 };
    static const int64_t pq_[2] = { 100, 2000 };
    static const int nexpr[2] = { 10, 120 };
    static const int iters[2] = { 120, 3000 };

    compiler *c = compile(PROGRAM);
    int64_t vars[MAX_VARS];
    memset(vars, 0, sizeof vars);
    vars[var_index(c, "n")] = pn[size];
    vars[var_index(c, "c")] = pc[size];
    vars[var_index(c, "g")] = pg[size];
    vars[var_index(c, "q")] = pq_[size];
    vm_result res = run(c, vars);
    uint64_t h = dv_mix(res.checksum, res.emitted);
    h = dv_mix(h, res.steps);
    printf("interp: program %d words, %llu VM steps\n", c->ncode, (unsigned long long)res.steps);

    /* generated expressions, each compiled into a loop over x, y */
    dv_rng rng;
    dv_seed(&rng, 0x1E7Eull);
    static char src[8192];
    for (int e = 0; e < nexpr[size]; e++) {
        size_t len = 0;
        char head[160];
        int it = iters[size];
        int n = 0;
        char d[12];
        do { d[n++] = (char)('0' + it % 10); it /= 10; } while (it);
        strcpy(head, "i = 0; while (i < ");
        size_t hl = strlen(head);
        for (int k = 0; k < n; k++)
            head[hl++] = d[n - 1 - k];
        head[hl] = 0;
        strcat(head, ") { x = i * 7 - 1000; y = i % 13 - 6; emit ");
        len = strlen(head);
        memcpy(src, head, len);
        gen_expr(&rng, src, &len, sizeof src - 64, 2 + (int)dv_below(&rng, 6));
        const char *tail = "; i = i + 1; }\n";
        memcpy(src + len, tail, strlen(tail) + 1);
        c = compile(src);
        memset(vars, 0, sizeof vars);
        res = run(c, vars);
        h = dv_mix(h, res.checksum);
        h = dv_mix(h, res.steps);
    }
    return dv_check_u64("interp", size, h, EXPECTED);
}
