#ifndef RIFFLE_CSAMPLERATE_SHIM_H
#define RIFFLE_CSAMPLERATE_SHIM_H
#include <samplerate.h>
#endif
