#ifndef BAYSEARCH_CCHECKSUM_H
#define BAYSEARCH_CCHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/// CRC-32C (Castagnoli) of `length` bytes, continuing from `crc` (0 to start). Uses the
/// SSE 4.2 instruction when the CPU has it, a table otherwise; both give the same value.
uint32_t bay_crc32c(uint32_t crc, const void *bytes, size_t length);

/// XXH64 of `length` bytes with `seed`: the content hash that tells a changed document.
uint64_t bay_xxh64(const void *bytes, size_t length, uint64_t seed);

#endif
