#ifndef RIFFLE_CEBUR128_SHIM_H
#define RIFFLE_CEBUR128_SHIM_H
#include <ebur128.h>

/// The measurement modes Riffle needs, as one value: integrated loudness plus true peak.
/// The EBU_R128_MODE_* enumerators import, but combining them needs an int in C.
static inline int riffle_ebur128_mode_loudness_and_true_peak(void) {
    return EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK | EBUR128_MODE_SAMPLE_PEAK;
}
#endif
