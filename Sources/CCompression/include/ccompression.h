#ifndef BAYSEARCH_CCOMPRESSION_H
#define BAYSEARCH_CCOMPRESSION_H

// Zstandard, for the document store. The header uses stdint types only.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The most bytes `bay_compress` can write for `length` input bytes.
int64_t bay_compress_bound(int64_t length);

/// Compresses `input` into `output` at zstd `level`. Returns the compressed size, or -1
/// when `output` is too small or zstd fails.
int64_t bay_compress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity, int32_t level);

/// The original size a zstd frame declares, or -1 when `input` is not a frame that
/// declares one: checked before allocating for a stored text, whose recorded length a
/// damaged file could make huge.
int64_t bay_decompressed_size(const uint8_t *input, int64_t length);

/// Decompresses `input` into `output`, which must be exactly the original size. Returns the
/// number of bytes written, or -1 when the input is damaged or does not fill `output`.
int64_t bay_decompress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity);

#ifdef __cplusplus
}
#endif

#endif
