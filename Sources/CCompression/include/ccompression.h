#ifndef BAYSEARCH_CCOMPRESSION_H
#define BAYSEARCH_CCOMPRESSION_H

// LZ4 block compression, for the document store. The header uses stdint types only.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The most bytes `bay_compress` can write for `length` input bytes, or -1 when `length`
/// is beyond what LZ4 compresses in one block (about 2 GB).
int64_t bay_compress_bound(int64_t length);

/// Compresses `input` into `output` as one LZ4 block. Returns the compressed size, or -1
/// when `output` is too small or the input too large.
int64_t bay_compress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity);

/// Decompresses the LZ4 block `input` into `output`, which must be exactly the original
/// size; never reads or writes outside either buffer, whatever `input` holds. Returns the
/// number of bytes written, or -1 when the input is damaged or does not fill `output`.
int64_t bay_decompress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity);

#ifdef __cplusplus
}
#endif

#endif
