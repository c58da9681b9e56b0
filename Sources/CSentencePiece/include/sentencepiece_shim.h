// A C face on libsentencepiece's C++ processor, for Swift: load a model, encode text to ids.
#ifndef RIFFLE_SENTENCEPIECE_SHIM_H
#define RIFFLE_SENTENCEPIECE_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct riffle_spm riffle_spm;

/// Loads a SentencePiece model (spiece.model); NULL on failure, with the reason in `error`.
riffle_spm *riffle_spm_load(const char *path, char *error, size_t error_size);

void riffle_spm_free(riffle_spm *processor);

/// Encodes UTF-8 `text` (of `length` bytes) to piece ids, writing at most `capacity` of them.
/// Returns how many there are (call again with more room when that is more than `capacity`), or -1
/// with the reason in `error`.
long riffle_spm_encode(const riffle_spm *processor, const char *text, size_t length, int *ids, long capacity,
                       char *error, size_t error_size);

/// The id of the end-of-sequence piece (`</s>`), or -1 when the model has none.
int riffle_spm_eos_id(const riffle_spm *processor);

/// The number of pieces in the model.
int riffle_spm_piece_count(const riffle_spm *processor);

#ifdef __cplusplus
}
#endif

#endif
