// See include/musicgen_kernels.h. The kernels (AVX-512 and portable), packing, and attention over a half
// cache; the worker threads that split one call's outputs with the caller are in musicgen_pool.c.
#define _GNU_SOURCE
#include "musicgen_kernels.h"
#include "kernels_shared.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#endif


// MARK: - Portable loops

static uint16_t float_to_half(float value) {
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
    uint32_t magnitude = bits & 0x7fffffff;
    if (magnitude >= 0x7f800000) {  // inf or NaN (keep NaN quiet)
        return sign | 0x7c00 | (magnitude > 0x7f800000 ? 0x200 : 0);
    }
    if (magnitude >= 0x477ff000) return sign | 0x7c00;  // rounds past 65504
    if (magnitude < 0x38800000) {  // below the smallest normal half: subnormal or zero
        if (magnitude < 0x33000000) return sign;  // under half the smallest subnormal
        uint32_t exponent = magnitude >> 23;
        uint32_t mantissa = (magnitude & 0x7fffff) | 0x800000;
        // value = mantissa · 2^(exponent - 150); in units of the half's 2^-24 that is mantissa >> (126 - exponent)
        uint32_t shift = 126 - exponent;
        uint32_t result = mantissa >> shift;
        uint32_t remainder = mantissa & ((1u << shift) - 1);
        uint32_t halfway = 1u << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (result & 1))) result++;
        return sign | (uint16_t)result;
    }
    uint32_t result = ((magnitude >> 13) - ((127 - 15) << 10));
    uint32_t remainder = magnitude & 0x1fff;
    if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1))) result++;
    return sign | (uint16_t)result;
}

// Element (o, i) of a packed matrix: see the header.
// Outputs in blocks of BLOCK; inputs in tiles of TILE (a multiple of 16), so that a tile of x stays in the L1
// cache while every block streams past it.
#ifndef TILE
#define TILE 1024
#endif

// Chunks of 16 inputs in tile `t` (only the last tile may be shorter).
static inline int tile_chunks(int in, int t) {
    const int n = in - t * TILE < TILE ? in - t * TILE : TILE;
    return (n + 15) / 16;
}

static inline size_t packed_index(int out, int in, int o, int i) {
    const size_t blocks = (size_t)((out + BLOCK - 1) / BLOCK);
    const int t = i / TILE, within = i % TILE;
    const size_t tile_base = blocks * BLOCK * (size_t)t * TILE;
    return tile_base + (((size_t)(o / BLOCK) * (size_t)tile_chunks(in, t) + (size_t)(within / 16)) * BLOCK + (size_t)(o % BLOCK)) * 16 +
           (size_t)(within % 16);
}

static inline float widen_one(int precision, const void *weight, size_t index) {
    switch (precision) {
    case RIFFLE_MG_F16: return half_to_float(((const uint16_t *)weight)[index]);
    case RIFFLE_MG_I8: return (float)((const int8_t *)weight)[index];
    default: return ((const float *)weight)[index];
    }
}

// The same walk as the AVX-512 code (chunks of 16 in order, lanes summed in a fixed tree), in plain C.
static void apply_range_portable(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    const int in = m->in;
    for (int o = begin; o < end; o++) {
        for (int r = 0; r < rows; r++) {
            const float *xr = x + (size_t)r * (size_t)in;
            float lanes[16] = {0};
            for (int i = 0; i < in; i++) lanes[i & 15] += widen_one(m->precision, m->weight, packed_index(m->out, in, o, i)) * xr[i];
            for (int width = 8; width >= 1; width /= 2) {
                for (int l = 0; l < width; l++) lanes[l] += lanes[l + width];
            }
            float sum = lanes[0];
            if (m->precision == RIFFLE_MG_I8) sum *= m->scale[o];
            if (m->bias) sum += m->bias[o];
            y[(size_t)r * (size_t)m->out + (size_t)o] = sum;
        }
    }
}

// MARK: - AVX-512

#if RIFFLE_MG_X86
#define INLINE static inline __attribute__((always_inline))

// Sixteen weights from element `index`, widened to fp32.
TARGET INLINE __m512 load16(int precision, const void *weight, size_t index) {
    switch (precision) {
    case RIFFLE_MG_F16:
        return _mm512_cvtph_ps(_mm256_load_si256((const __m256i *)((const uint16_t *)weight + index)));
    case RIFFLE_MG_I8:
        return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_load_si128((const __m128i *)((const int8_t *)weight + index))));
    default:
        return _mm512_load_ps((const float *)weight + index);
    }
}

// Outputs BLOCK·block + b0 ..< BLOCK·block + b0 + OB of one block, for rows r0 ..< r0 + R, over input tile t.
// A tile of a block's weights is one sequential stream; each (output, row) pair is, per tile, one chain of FMAs
// over 16 lanes in input order, then _mm512_reduce_add_ps; the tiles' sums are added in order, then int8's scale
// and the bias applied: the same arithmetic whatever R and OB are and whichever thread runs it.
TARGET INLINE void block_avx512(const int P, const int R, const int OB, const riffle_mg_matrix *m, const float *x, float *y,
                                int block, int b0, int r0, int end, int t) {
    const int in = m->in, i0 = t * TILE, n = in - i0 < TILE ? in - i0 : TILE;
    const int full = n / 16, chunks = (n + 15) / 16;
    const size_t blocks = (size_t)((m->out + BLOCK - 1) / BLOCK);
    const void *weight = m->weight;
    const size_t base = blocks * BLOCK * (size_t)i0 + (size_t)block * (size_t)chunks * BLOCK * 16 + (size_t)b0 * 16;
    const float *xs = x + (size_t)r0 * (size_t)in + (size_t)i0;
    __m512 acc[8][4];
    for (int b = 0; b < OB; b++)
        for (int r = 0; r < R; r++) acc[b][r] = _mm512_setzero_ps();
    for (int c = 0; c < full; c++) {
        __m512 xv[4];
        for (int r = 0; r < R; r++) xv[r] = _mm512_loadu_ps(xs + (size_t)r * (size_t)in + (size_t)c * 16);
        const size_t at = base + (size_t)c * BLOCK * 16;
        for (int b = 0; b < OB; b++) {
            __m512 wv = load16(P, weight, at + (size_t)b * 16);
            for (int r = 0; r < R; r++) acc[b][r] = _mm512_fmadd_ps(wv, xv[r], acc[b][r]);
        }
    }
    if (full < chunks) {  // the last, partial chunk: x masked; the weights are padded with zeros
        __mmask16 mask = (__mmask16)((1u << (n - full * 16)) - 1);
        __m512 xv[4];
        for (int r = 0; r < R; r++) xv[r] = _mm512_maskz_loadu_ps(mask, xs + (size_t)r * (size_t)in + (size_t)full * 16);
        const size_t at = base + (size_t)full * BLOCK * 16;
        for (int b = 0; b < OB; b++) {
            __m512 wv = load16(P, weight, at + (size_t)b * 16);
            for (int r = 0; r < R; r++) acc[b][r] = _mm512_fmadd_ps(wv, xv[r], acc[b][r]);
        }
    }
    const int first = block * BLOCK + b0;
    const int valid = end - first < OB ? end - first : OB;
    const int last = i0 + n >= in;
    for (int b = 0; b < valid; b++) {
        for (int r = 0; r < R; r++) {
            float *target = y + (size_t)(r0 + r) * (size_t)m->out + (size_t)(first + b);
            float sum = _mm512_reduce_add_ps(acc[b][r]);
            if (t > 0) sum = *target + sum;
            if (last) {
                if (P == RIFFLE_MG_I8) sum *= m->scale[first + b];
                if (m->bias) sum += m->bias[first + b];
            }
            *target = sum;
        }
    }
}

// A whole block for rows r0 ..< r0 + R: one pass over all BLOCK outputs for up to 2 rows (16 accumulators),
// in passes of 4 outputs for 3 or 4 rows (the later passes read the block from the cache).
#define BLOCK_ROWS(P, R)                                                                    \
    do {                                                                                    \
        if ((R) <= 2 || BLOCK == 4) {                                                       \
            block_avx512(P, R, BLOCK, m, x, y, block, 0, r0, end, t);                       \
        } else {                                                                            \
            for (int b0 = 0; b0 < BLOCK && block * BLOCK + b0 < end; b0 += 4)               \
                block_avx512(P, R, 4, m, x, y, block, b0, r0, end, t);                      \
        }                                                                                   \
    } while (0)

// Tile by tile, blocks [begin/BLOCK, ⌈end/BLOCK⌉); for each block, the rows of x in groups of up to four.
#define RANGE_BODY(P)                                                                       \
    for (int t = 0; t * TILE < m->in; t++)                                                  \
    for (int block = begin / BLOCK; block < (end + BLOCK - 1) / BLOCK; block++) {           \
        for (int r0 = 0; r0 < rows; r0 += 4) {                                              \
            switch (rows - r0) {                                                            \
            case 1: BLOCK_ROWS(P, 1); break;                                                \
            case 2: BLOCK_ROWS(P, 2); break;                                                \
            case 3: BLOCK_ROWS(P, 3); break;                                                \
            default: BLOCK_ROWS(P, 4); break;                                               \
            }                                                                               \
        }                                                                                   \
    }

TARGET static void range_f32(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    RANGE_BODY(RIFFLE_MG_F32)
}
TARGET static void range_f16(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    RANGE_BODY(RIFFLE_MG_F16)
}
TARGET static void range_i8(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    RANGE_BODY(RIFFLE_MG_I8)
}

TARGET static void to_f16_avx512(const float *source, uint16_t *destination, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i h = _mm512_cvtps_ph(_mm512_loadu_ps(source + i), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm256_storeu_si256((__m256i *)(destination + i), h);
    }
    for (; i < count; i++) destination[i] = float_to_half(source[i]);
}
#endif

// MARK: - Dispatch

static _Atomic int forced_portable = 0;

int riffle_mg_isa(void) {
#if RIFFLE_MG_X86
    static int supported = -1;  // a benign race: every thread computes the same answer
    if (supported < 0) {
        __builtin_cpu_init();
        supported = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                    __builtin_cpu_supports("f16c") && __builtin_cpu_supports("fma");
    }
    return supported && !atomic_load_explicit(&forced_portable, memory_order_relaxed);
#else
    return 0;
#endif
}

void riffle_mg_force_portable(int portable) { atomic_store(&forced_portable, portable ? 1 : 0); }

void riffle_mg_apply_range(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end) {
    if (rows <= 0 || begin >= end) return;
#if RIFFLE_MG_X86
    if (riffle_mg_isa()) {
        switch (m->precision) {
        case RIFFLE_MG_F16: range_f16(m, x, rows, y, begin, end); return;
        case RIFFLE_MG_I8: range_i8(m, x, rows, y, begin, end); return;
        default: range_f32(m, x, rows, y, begin, end); return;
        }
    }
#endif
    apply_range_portable(m, x, rows, y, begin, end);
}

size_t riffle_mg_packed_count(int out, int in) {
    return (size_t)((out + BLOCK - 1) / BLOCK) * BLOCK * (size_t)((in + 15) / 16) * 16;
}

static size_t element_size(int precision) { return precision == RIFFLE_MG_F16 ? 2 : precision == RIFFLE_MG_I8 ? 1 : 4; }

void riffle_mg_pack(const float *weight, int out, int in, int precision, void *packed, float *scale) {
    const size_t size = element_size(precision);
    memset(packed, 0, riffle_mg_packed_count(out, in) * size);
    int8_t *quantized = NULL;
    if (precision == RIFFLE_MG_I8) quantized = malloc((size_t)in > 0 ? (size_t)in : 1);
    for (int o = 0; o < out; o++) {
        const float *row = weight + (size_t)o * (size_t)in;
        if (precision == RIFFLE_MG_I8) {
            if (!quantized) abort();
            riffle_mg_quantize_i8(row, 1, in, quantized, scale + o);
        }
        for (int i = 0; i < in; i += 16) {
            const int n = in - i < 16 ? in - i : 16;
            void *at = (char *)packed + packed_index(out, in, o, i) * size;
            switch (precision) {
            case RIFFLE_MG_F16: riffle_mg_to_f16(row + i, (uint16_t *)at, (size_t)n); break;
            case RIFFLE_MG_I8: memcpy(at, quantized + i, (size_t)n); break;
            default: memcpy(at, row + i, (size_t)n * sizeof(float)); break;
            }
        }
    }
    free(quantized);
}

void riffle_mg_widen(const riffle_mg_matrix *m, int begin, int end, float *destination) {
    const int in = m->in;
    for (int o = begin; o < end; o++) {
        float *row = destination + (size_t)(o - begin) * (size_t)in;
        for (int i = 0; i < in; i += 16) {
            const int n = in - i < 16 ? in - i : 16;
            const size_t at = packed_index(m->out, in, o, i);
            switch (m->precision) {
            case RIFFLE_MG_F16:
                for (int l = 0; l < n; l++) row[i + l] = half_to_float(((const uint16_t *)m->weight)[at + (size_t)l]);
                break;
            case RIFFLE_MG_I8:
                for (int l = 0; l < n; l++) row[i + l] = (float)((const int8_t *)m->weight)[at + (size_t)l] * m->scale[o];
                break;
            default:
                memcpy(row + i, (const float *)m->weight + at, (size_t)n * sizeof(float));
                break;
            }
        }
    }
}

void riffle_mg_to_f16(const float *source, uint16_t *destination, size_t count) {
#if RIFFLE_MG_X86
    if (riffle_mg_isa()) {
        to_f16_avx512(source, destination, count);
        return;
    }
#endif
    for (size_t i = 0; i < count; i++) destination[i] = float_to_half(source[i]);
}

void riffle_mg_quantize_i8(const float *weight, int out, int in, int8_t *q, float *scale) {
    for (int o = 0; o < out; o++) {
        const float *row = weight + (size_t)o * (size_t)in;
        int8_t *qrow = q + (size_t)o * (size_t)in;
        float maxabs = 0;
        for (int i = 0; i < in; i++) maxabs = fmaxf(maxabs, fabsf(row[i]));
        float s = maxabs / 127.0f;
        if (s == 0 || !isfinite(s)) {
            scale[o] = 0;
            for (int i = 0; i < in; i++) qrow[i] = 0;
            continue;
        }
        scale[o] = s;
        for (int i = 0; i < in; i++) {
            float v = nearbyintf(row[i] / s);
            if (v > 127) v = 127;
            if (v < -127) v = -127;
            qrow[i] = (int8_t)v;
        }
    }
}
