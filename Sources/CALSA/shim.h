#ifndef RIFFLE_CALSA_SHIM_H
#define RIFFLE_CALSA_SHIM_H
#include <alsa/asoundlib.h>

/// ALSA prints its own diagnostics to stderr (for example "Unknown PCM nosuchdevice"); Riffle reports
/// every failure itself, naming the device. The handler is variadic, which Swift cannot write.
static void riffle_alsa_quiet_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void riffle_alsa_silence_errors(void) {
    snd_lib_error_set_handler(riffle_alsa_quiet_handler);
}
#endif
