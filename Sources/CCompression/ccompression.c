#include "ccompression.h"

#include <string.h>
#include <zlib.h>

int64_t bay_deflate_bound(int64_t length) {
    return (int64_t)compressBound((uLong)length) + 64;
}

int64_t bay_deflate(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity, int32_t level) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    // Negative window bits: raw DEFLATE, no zlib header or checksum; the reader checks the
    // inflated length against the length the segment records.
    if (deflateInit2(&stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return -1;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int status = deflate(&stream, Z_FINISH);
    int64_t written = (int64_t)stream.total_out;
    deflateEnd(&stream);
    return status == Z_STREAM_END ? written : -1;
}

int64_t bay_inflate(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -15) != Z_OK) {
        return -1;
    }
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)length;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int status = inflate(&stream, Z_FINISH);
    int64_t written = (int64_t)stream.total_out;
    inflateEnd(&stream);
    return (status == Z_STREAM_END && written == capacity) ? written : -1;
}
