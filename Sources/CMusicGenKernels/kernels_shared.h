// What the kernels, the attention kernel and the worker pool share, kept out of the public header: the target
// check and attribute, half widening, and the packed layout's block of outputs (a pool chunk is whole blocks).
#ifndef RIFFLE_MG_KERNELS_SHARED_H
#define RIFFLE_MG_KERNELS_SHARED_H

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define RIFFLE_MG_X86 1
#include <immintrin.h>
#else
#define RIFFLE_MG_X86 0
#endif

#include <stdint.h>
#include <string.h>

#if RIFFLE_MG_X86
/// The instruction sets the fast paths are compiled for (chosen at run time by riffle_mg_isa).
#define TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,f16c,fma")))
#endif

/// An IEEE half widened to float, exactly (the portable paths; F16C does it in the fast ones).
static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1f;
    uint32_t mantissa = h & 0x3ff;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400) == 0) {
                mantissa <<= 1;
                exponent--;
            }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000 | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float value;
    memcpy(&value, &bits, sizeof value);
    return value;
}

/// Outputs per packed block: weights are stored 4 outputs × 16 inputs at a time.
#ifndef BLOCK
#define BLOCK 4
#endif

#endif
