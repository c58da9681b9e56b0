// See include/musicgen_kernels.h: one attention head over the decoder's half-precision key/value cache.
#include "musicgen_kernels.h"
#include "kernels_shared.h"

#include <math.h>

// MARK: - Attention over a half-precision cache

/// Softmax of `count` scores in place, the maximum subtracted first; every score at -inf gives all zeros.
static void softmax_in_place(float *x, int count) {
    float largest = -INFINITY;
    for (int i = 0; i < count; i++) if (x[i] > largest) largest = x[i];
    if (largest == -INFINITY) {
        for (int i = 0; i < count; i++) x[i] = 0;
        return;
    }
    float sum = 0;
    for (int i = 0; i < count; i++) {
        x[i] = expf(x[i] - largest);
        sum += x[i];
    }
    float inverse = 1 / sum;
    for (int i = 0; i < count; i++) x[i] *= inverse;
}

static void attend_f16_portable(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                                float scale, float *scores, float *out) {
    for (int j = 0; j < count; j++) {
        float dot = 0;
        for (int i = 0; i < head_dim; i++) dot += query[i] * half_to_float(keys[(size_t)j * head_dim + i]);
        scores[j] = scale * dot;
    }
    softmax_in_place(scores, count);
    for (int j = 0; j < count; j++)
        for (int i = 0; i < head_dim; i++) out[i] += scores[j] * half_to_float(values[(size_t)j * head_dim + i]);
}

#if RIFFLE_MG_X86
/// head_dim a multiple of 16, at most 256: the query in registers, 16 halves widened per instruction.
TARGET static void attend_f16_avx512(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                                     float scale, float *scores, float *out) {
    int blocks = head_dim / 16;
    __m512 q[16];
    for (int b = 0; b < blocks; b++) q[b] = _mm512_loadu_ps(query + 16 * b);
    for (int j = 0; j < count; j++) {
        const uint16_t *key = keys + (size_t)j * head_dim;
        __m512 sum = _mm512_setzero_ps();
        for (int b = 0; b < blocks; b++)
            sum = _mm512_fmadd_ps(q[b], _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(key + 16 * b))), sum);
        scores[j] = scale * _mm512_reduce_add_ps(sum);
    }
    softmax_in_place(scores, count);
    __m512 accumulated[16];
    for (int b = 0; b < blocks; b++) accumulated[b] = _mm512_setzero_ps();
    for (int j = 0; j < count; j++) {
        const uint16_t *value = values + (size_t)j * head_dim;
        __m512 weight = _mm512_set1_ps(scores[j]);
        for (int b = 0; b < blocks; b++)
            accumulated[b] = _mm512_fmadd_ps(weight, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(value + 16 * b))), accumulated[b]);
    }
    for (int b = 0; b < blocks; b++) _mm512_storeu_ps(out + 16 * b, accumulated[b]);
}
#endif

void riffle_mg_attend_f16(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                          float scale, float *scores, float *out) {
    for (int i = 0; i < head_dim; i++) out[i] = 0;
    if (count <= 0) return;
#if RIFFLE_MG_X86
    if (riffle_mg_isa() && head_dim % 16 == 0 && head_dim <= 256) {
        attend_f16_avx512(query, keys, values, count, head_dim, scale, scores, out);
        return;
    }
#endif
    attend_f16_portable(query, keys, values, count, head_dim, scale, scores, out);
}
