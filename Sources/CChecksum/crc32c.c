#include "cchecksum.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

static uint32_t table[8][256];
static int table_ready;

/// Slicing-by-8 tables for the reflected Castagnoli polynomial.
static void build_table(void) {
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
        }
        table[0][byte] = crc;
    }
    for (uint32_t byte = 0; byte < 256; byte++) {
        for (int slice = 1; slice < 8; slice++) {
            table[slice][byte] = (table[slice - 1][byte] >> 8) ^ table[0][table[slice - 1][byte] & 0xFF];
        }
    }
    __atomic_store_n(&table_ready, 1, __ATOMIC_RELEASE);
}

static uint32_t crc32c_software(uint32_t crc, const uint8_t *bytes, size_t length) {
    if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE)) {
        build_table();  // idempotent: racing threads write the same values
    }
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, bytes, 8);
        word ^= crc;
        crc = table[7][word & 0xFF] ^ table[6][(word >> 8) & 0xFF] ^ table[5][(word >> 16) & 0xFF]
            ^ table[4][(word >> 24) & 0xFF] ^ table[3][(word >> 32) & 0xFF] ^ table[2][(word >> 40) & 0xFF]
            ^ table[1][(word >> 48) & 0xFF] ^ table[0][word >> 56];
        bytes += 8;
        length -= 8;
    }
    while (length--) {
        crc = (crc >> 8) ^ table[0][(crc ^ *bytes++) & 0xFF];
    }
    return crc;
}

#if defined(__x86_64__)
// The instruction takes three cycles and depends on the last: one stream of it does a third
// of what the CPU can. Long inputs are cut into three lanes of `LANE` bytes, run side by
// side, and joined: a CRC register is linear, so the register after `LANE` more bytes is the
// register after as many zero bytes (`shift_lane`) xor the CRC of those bytes from zero.
#define LANE 1360

// shift_tables[k][v]: the register that (v << 8k) becomes after LANE zero bytes.
static uint32_t shift_tables[4][256];
static pthread_once_t shift_tables_once = PTHREAD_ONCE_INIT;

__attribute__((target("sse4.2")))
static void build_shift_tables(void) {
    uint32_t bits[32];
    for (int bit = 0; bit < 32; bit++) {
        uint64_t state = 1u << bit;
        for (int i = 0; i < LANE; i += 8) {
            state = _mm_crc32_u64(state, 0);
        }
        bits[bit] = (uint32_t)state;
    }
    for (int k = 0; k < 4; k++) {
        shift_tables[k][0] = 0;
        for (uint32_t value = 1; value < 256; value++) {
            // Adds the lowest set bit's image to that of the value without it.
            shift_tables[k][value] = shift_tables[k][value & (value - 1)] ^ bits[8 * k + __builtin_ctz(value)];
        }
    }
}

static inline uint32_t shift_lane(uint32_t crc) {
    return shift_tables[0][crc & 0xFF] ^ shift_tables[1][(crc >> 8) & 0xFF] ^ shift_tables[2][(crc >> 16) & 0xFF]
        ^ shift_tables[3][crc >> 24];
}

static inline uint64_t load64(const uint8_t *bytes) {
    uint64_t word;
    memcpy(&word, bytes, 8);
    return word;
}

__attribute__((target("sse4.2")))
static uint32_t crc32c_hardware(uint32_t crc, const uint8_t *bytes, size_t length) {
    if (length >= 3 * LANE) {
        pthread_once(&shift_tables_once, build_shift_tables);
    }
    while (length >= 3 * LANE) {
        uint64_t first = crc, second = 0, third = 0;
        for (size_t i = 0; i < LANE; i += 8) {
            first = _mm_crc32_u64(first, load64(bytes + i));
            second = _mm_crc32_u64(second, load64(bytes + LANE + i));
            third = _mm_crc32_u64(third, load64(bytes + 2 * LANE + i));
        }
        crc = shift_lane(shift_lane((uint32_t)first) ^ (uint32_t)second) ^ (uint32_t)third;
        bytes += 3 * LANE;
        length -= 3 * LANE;
    }
    uint64_t wide = crc;
    while (length >= 8) {
        wide = _mm_crc32_u64(wide, load64(bytes));
        bytes += 8;
        length -= 8;
    }
    uint32_t narrow = (uint32_t)wide;
    while (length--) {
        narrow = _mm_crc32_u8(narrow, *bytes++);
    }
    return narrow;
}
#endif

uint32_t bay_crc32c(uint32_t crc, const void *bytes, size_t length) {
    crc = ~crc;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("sse4.2")) {
        return ~crc32c_hardware(crc, bytes, length);
    }
#endif
    return ~crc32c_software(crc, bytes, length);
}
