// MusicGen's matrix-vector kernels: y = W·x + b for a few rows of x, with W kept in fp32, fp16 or int8.
//
// Decoding reads every weight once per step for two rows (the guidance batch), so these kernels stream
// each weight row once for all rows of x, widen it to fp32 as it is read and accumulate in fp32. One
// output is always computed by one thread in one fixed order (16 lanes over the input, then a fixed
// reduction), so results do not depend on how the rows are split across threads, nor on how many rows
// of x come together.
//
// The AVX-512 code is compiled with per-function target attributes and chosen at run time; elsewhere a
// portable C loop does the same arithmetic in a different (but equally fixed) order.
#ifndef RIFFLE_MUSICGEN_KERNELS_H
#define RIFFLE_MUSICGEN_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { RIFFLE_MG_F32 = 0, RIFFLE_MG_F16 = 1, RIFFLE_MG_I8 = 2 };

/// A weight matrix W, `out × in` (PyTorch's nn.Linear.weight), kept *packed* so that the kernels read it as one
/// sequential stream per tile (a row-major W read four rows at a time is four short streams, which the hardware
/// prefetchers follow badly: half the bandwidth), and so that a tile of x stays in the L1 cache:
///
///   inputs in tiles of 1024 (the last one shorter) and, within a tile, chunks of 16 (the last chunk of the last
///   tile padded with zeros); outputs in blocks of 4 (the last block padded with zero rows). Tile by tile, block
///   by block, chunk by chunk: the chunk's 16 values of the block's row 0, 1, 2, then 3.
///   riffle_mg_packed_count(out, in) elements in all; the storage must be 64-byte aligned.
///
/// Each output is the sum over tiles (in order) of a 16-lane FMA chain over the tile's chunks reduced in a fixed
/// tree, then int8's scale, then the bias: one fixed order, whatever the thread or the number of rows.
typedef struct riffle_mg_matrix {
    int precision;        ///< RIFFLE_MG_F32, RIFFLE_MG_F16 (IEEE half) or RIFFLE_MG_I8
    int out;
    int in;
    const void *weight;   ///< the packed values of the precision
    const float *scale;   ///< int8: one scale per output row (w ≈ scale[o]·q); NULL otherwise
    const float *bias;    ///< out values, or NULL
} riffle_mg_matrix;

/// Elements a packed `out × in` matrix takes (padding included).
size_t riffle_mg_packed_count(int out, int in);

/// Packs row-major fp32 `weight` into `packed` (riffle_mg_packed_count elements of the precision), converting:
/// fp16 rounded to nearest even; int8 symmetric per row (see riffle_mg_quantize_i8), its scales into `scale`.
void riffle_mg_pack(const float *weight, int out, int in, int precision, void *packed, float *scale);


/// y[r·out + o] = Σᵢ W[o,i]·x[r·in + i] + bias[o], for outputs o in [begin, end) and r < rows, on this thread.
/// `begin` must be a multiple of 4 (the kernels work in the packing's blocks of 4 outputs). With more than one
/// tile (in > 1024), y's outputs hold partial sums between tiles, so y must not alias x.
void riffle_mg_apply_range(const riffle_mg_matrix *m, const float *x, int rows, float *y, int begin, int end);

/// The same for every output, split across the kernels' worker threads: the outputs are cut into a few chunks of
/// whole blocks that the caller and the workers claim one at a time, so a worker the scheduler has not run yet
/// costs the call nothing. Safe to call from several threads at once: a call that finds the workers busy runs
/// on its own thread.
void riffle_mg_apply(const riffle_mg_matrix *m, const float *x, int rows, float *y);

/// fn(context, i) for i in [0, count), on the same worker threads as riffle_mg_apply (indices claimed in chunks
/// by whoever is free; returns when all are done). For the decoder's other per-step work (attention over heads),
/// so that it does not bring a second set of threads to compete with these for two cores. A call from inside
/// fn, or while another thread has the workers, runs on the calling thread.
void riffle_mg_parallel(int count, void (*fn)(void *context, int index), void *context);

/// Widens outputs [begin, end) of `m` to fp32, row-major (the int8 scale applied): `(end - begin) × in` floats.
void riffle_mg_widen(const riffle_mg_matrix *m, int begin, int end, float *destination);

/// IEEE half of each value, rounded to nearest even.
void riffle_mg_to_f16(const float *source, uint16_t *destination, size_t count);

/// One attention head over keys and values kept as IEEE half (`count` of each, `head_dim` halves each, consecutive):
/// out = Σⱼ softmax(scale · q·kⱼ)ⱼ vⱼ, accumulated in fp32. `scores` has room for `count` floats; no keys gives zeros.
void riffle_mg_attend_f16(const float *query, const uint16_t *keys, const uint16_t *values, int count, int head_dim,
                          float scale, float *scores, float *out);

/// Symmetric per-row int8: scale[o] = max|W[o,:]| / 127, q = round-to-nearest-even(W / scale) (0 for a zero row).
void riffle_mg_quantize_i8(const float *weight, int out, int in, int8_t *q, float *scale);

/// Which code runs: 1 for AVX-512 (F, BW, VL with F16C and FMA), 0 for the portable loops.
int riffle_mg_isa(void);

/// Forces the portable loops (1) or lets the CPU decide again (0); for tests and benchmarks.
void riffle_mg_force_portable(int portable);

/// Threads `riffle_mg_apply` splits across, the caller's included (default: online CPUs, at most 8).
/// Changing it waits for a call in progress; meant for benchmarks.
void riffle_mg_set_threads(int threads);
int riffle_mg_threads(void);

/// How long an idle worker waits for the next call (spinning, then yielding its core to other runnable threads)
/// before it sleeps, in microseconds (default 100).
void riffle_mg_set_spin_microseconds(int microseconds);

#ifdef __cplusplus
}
#endif

#endif
