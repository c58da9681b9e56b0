#ifndef RIFFLE_CEBUR128_SHIM_H
#define RIFFLE_CEBUR128_SHIM_H
#include <ebur128.h>

/// The measurement modes Riffle needs, as one value: integrated loudness plus true peak.
/// The EBU_R128_MODE_* enumerators import, but combining them needs an int in C.
static inline int riffle_ebur128_mode_loudness_and_true_peak(void) {
    return EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK;
}

/// Integrated loudness alone: several times cheaper than with true peak, for loops that converge on a level.
static inline int riffle_ebur128_mode_integrated(void) {
    return EBUR128_MODE_I;
}

/// True and sample peaks alone, for a level already known.
static inline int riffle_ebur128_mode_peaks(void) {
    return EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK;
}
#endif
