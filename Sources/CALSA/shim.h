#ifndef RIFFLE_CALSA_SHIM_H
#define RIFFLE_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#endif
