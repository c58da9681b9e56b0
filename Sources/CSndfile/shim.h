#ifndef RIFFLE_CSNDFILE_SHIM_H
#define RIFFLE_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
