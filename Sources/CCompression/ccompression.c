#include "ccompression.h"

#include <lz4.h>

int64_t bay_compress_bound(int64_t length) {
    return length <= LZ4_MAX_INPUT_SIZE ? (int64_t)LZ4_compressBound((int)length) : -1;
}

int64_t bay_compress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity) {
    if (length > LZ4_MAX_INPUT_SIZE || capacity > INT32_MAX) {
        return -1;
    }
    int written = LZ4_compress_default((const char *)input, (char *)output, (int)length, (int)capacity);
    return written > 0 ? written : -1;
}

int64_t bay_decompress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity) {
    if (length > INT32_MAX || capacity > INT32_MAX) {
        return -1;
    }
    int written = LZ4_decompress_safe((const char *)input, (char *)output, (int)length, (int)capacity);
    return written == capacity ? written : -1;
}
