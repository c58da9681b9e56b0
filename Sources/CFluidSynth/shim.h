#ifndef RIFFLE_CFLUIDSYNTH_SHIM_H
#define RIFFLE_CFLUIDSYNTH_SHIM_H
#include <fluidsynth.h>
#endif
