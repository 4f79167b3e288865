#include "cicu.h"
#include "trad_simp_table.h"

uint32_t bay_trad_simp_lookup(uint32_t code_point) {
    int32_t low = 0;
    int32_t high = (int32_t)(sizeof trad_simp_pairs / sizeof trad_simp_pairs[0]) - 1;
    while (low <= high) {
        int32_t middle = low + (high - low) / 2;
        uint32_t traditional = trad_simp_pairs[middle][0];
        if (traditional == code_point) {
            return trad_simp_pairs[middle][1];
        }
        if (traditional < code_point) {
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return code_point;
}

int32_t bay_trad_simp_count(void) {
    return (int32_t)(sizeof trad_simp_pairs / sizeof trad_simp_pairs[0]);
}
