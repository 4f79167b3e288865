#include "ccompression.h"

#include <zstd.h>

int64_t bay_compress_bound(int64_t length) {
    return (int64_t)ZSTD_compressBound((size_t)length);
}

int64_t bay_compress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity, int32_t level) {
    size_t written = ZSTD_compress(output, (size_t)capacity, input, (size_t)length, level);
    return ZSTD_isError(written) ? -1 : (int64_t)written;
}

int64_t bay_decompress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity) {
    size_t written = ZSTD_decompress(output, (size_t)capacity, input, (size_t)length);
    return (ZSTD_isError(written) || (int64_t)written != capacity) ? -1 : (int64_t)written;
}
