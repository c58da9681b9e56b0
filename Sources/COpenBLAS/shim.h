// OpenBLAS's CBLAS interface (Debian's libopenblas-dev; pkg-config openblas puts its folder on the path).
#include <cblas.h>
