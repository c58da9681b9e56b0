// The other libraries riffle-bench compares MusicGen's kernels with, on the decoder's shapes: OpenBLAS (sgemv
// once per row, and sgemm) and oneDNN's matmul (f32, bf16 and int8). For the benchmark only; Riffle itself
// does not link oneDNN.
#ifndef RIFFLE_MUSICGEN_BENCH_H
#define RIFFLE_MUSICGEN_BENCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// y[r] = W·x[r] with one cblas_sgemv per row (W: out × in, row-major).
void riffle_mgb_sgemv_rows(const float *weight, int out, int in, const float *x, int rows, float *y);

/// y = x·Wᵀ with one cblas_sgemm.
void riffle_mgb_sgemm(const float *weight, int out, int in, const float *x, int rows, float *y);

/// OpenBLAS's thread count (openblas_set_num_threads / openblas_get_num_threads).
void riffle_mgb_openblas_set_threads(int threads);
int riffle_mgb_openblas_threads(void);

enum { RIFFLE_MGB_DNNL_F32 = 0, RIFFLE_MGB_DNNL_BF16 = 1, RIFFLE_MGB_DNNL_S8 = 2 };

typedef struct riffle_mgb_dnnl riffle_mgb_dnnl;

/// A oneDNN matmul y = x·Wᵀ for `rows` rows, weights reordered once into the layout oneDNN prefers.
/// BF16: x and W in bfloat16, y in f32. S8: W per-output-row symmetric int8, x quantized to int8 per call
/// (with the scale fixed at creation from `x_max_abs`), y in f32. NULL on failure, with the reason in `error`.
riffle_mgb_dnnl *riffle_mgb_dnnl_create(int kind, int rows, int out, int in, const float *weight, float x_max_abs,
                                        char *error, size_t error_size);
/// Runs it on `rows × in` floats (converted to the kind's type first), writing `rows × out` floats.
int riffle_mgb_dnnl_run(riffle_mgb_dnnl *matmul, const float *x, float *y);
/// Bytes the reordered weights take.
size_t riffle_mgb_dnnl_weight_bytes(const riffle_mgb_dnnl *matmul);
void riffle_mgb_dnnl_free(riffle_mgb_dnnl *matmul);

#ifdef __cplusplus
}
#endif

#endif
