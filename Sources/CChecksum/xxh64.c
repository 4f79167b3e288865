#include "cchecksum.h"

#include <string.h>

// XXH64 as specified in https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md.
static const uint64_t prime1 = 0x9E3779B185EBCA87ULL;
static const uint64_t prime2 = 0xC2B2AE3D27D4EB4FULL;
static const uint64_t prime3 = 0x165667B19E3779F9ULL;
static const uint64_t prime4 = 0x85EBCA77C2B2AE63ULL;
static const uint64_t prime5 = 0x27D4EB2F165667C5ULL;

static inline uint64_t rotate_left(uint64_t value, int bits) {
    return (value << bits) | (value >> (64 - bits));
}

static inline uint64_t read64(const uint8_t *bytes) {
    uint64_t value;
    memcpy(&value, bytes, 8);
    return value;  // little-endian machines only, as the rest of the index format
}

static inline uint32_t read32(const uint8_t *bytes) {
    uint32_t value;
    memcpy(&value, bytes, 4);
    return value;
}

static inline uint64_t round64(uint64_t accumulator, uint64_t input) {
    accumulator += input * prime2;
    accumulator = rotate_left(accumulator, 31);
    return accumulator * prime1;
}

static inline uint64_t merge_round(uint64_t hash, uint64_t accumulator) {
    hash ^= round64(0, accumulator);
    return hash * prime1 + prime4;
}

uint64_t bay_xxh64(const void *input, size_t length, uint64_t seed) {
    const uint8_t *bytes = input;
    const uint8_t *end = bytes + length;
    uint64_t hash;
    if (length >= 32) {
        uint64_t v1 = seed + prime1 + prime2, v2 = seed + prime2, v3 = seed, v4 = seed - prime1;
        const uint8_t *limit = end - 32;
        do {
            v1 = round64(v1, read64(bytes));
            v2 = round64(v2, read64(bytes + 8));
            v3 = round64(v3, read64(bytes + 16));
            v4 = round64(v4, read64(bytes + 24));
            bytes += 32;
        } while (bytes <= limit);
        hash = rotate_left(v1, 1) + rotate_left(v2, 7) + rotate_left(v3, 12) + rotate_left(v4, 18);
        hash = merge_round(hash, v1);
        hash = merge_round(hash, v2);
        hash = merge_round(hash, v3);
        hash = merge_round(hash, v4);
    } else {
        hash = seed + prime5;
    }
    hash += (uint64_t)length;
    while (bytes + 8 <= end) {
        hash ^= round64(0, read64(bytes));
        hash = rotate_left(hash, 27) * prime1 + prime4;
        bytes += 8;
    }
    if (bytes + 4 <= end) {
        hash ^= (uint64_t)read32(bytes) * prime1;
        hash = rotate_left(hash, 23) * prime2 + prime3;
        bytes += 4;
    }
    while (bytes < end) {
        hash ^= (*bytes++) * prime5;
        hash = rotate_left(hash, 11) * prime1;
    }
    hash ^= hash >> 33;
    hash *= prime2;
    hash ^= hash >> 29;
    hash *= prime3;
    hash ^= hash >> 32;
    return hash;
}
