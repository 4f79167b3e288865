#include "cicu.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

struct BayWordBreaker {
    UBreakIterator *iterator;
};

BayWordBreaker *bay_wordbreaker_open(void) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *iterator = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
    if (U_FAILURE(status) || iterator == NULL) {
        return NULL;
    }
    BayWordBreaker *breaker = malloc(sizeof *breaker);
    if (breaker == NULL) {
        ubrk_close(iterator);
        return NULL;
    }
    breaker->iterator = iterator;
    return breaker;
}

void bay_wordbreaker_close(BayWordBreaker *breaker) {
    if (breaker == NULL) {
        return;
    }
    ubrk_close(breaker->iterator);
    free(breaker);
}

static int is_word_status(int32_t status) {
    return status >= UBRK_WORD_NUMBER;
}

int64_t bay_wordbreaker_count_words(BayWordBreaker *breaker, const uint16_t *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) {
        return -1;
    }
    int64_t count = 0;
    ubrk_first(breaker->iterator);
    while (ubrk_next(breaker->iterator) != UBRK_DONE) {
        if (is_word_status(ubrk_getRuleStatus(breaker->iterator))) {
            count += 1;
        }
    }
    return count;
}

int32_t bay_wordbreaker_words(BayWordBreaker *breaker, const uint16_t *text, int32_t length,
                              int32_t *starts, int32_t *ends, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    ubrk_setText(breaker->iterator, (const UChar *)text, length, &status);
    if (U_FAILURE(status)) {
        return -1;
    }
    int32_t count = 0;
    int32_t start = ubrk_first(breaker->iterator);
    int32_t end;
    while ((end = ubrk_next(breaker->iterator)) != UBRK_DONE) {
        if (is_word_status(ubrk_getRuleStatus(breaker->iterator))) {
            if (count < capacity) {
                starts[count] = start;
                ends[count] = end;
            }
            count += 1;
        }
        start = end;
    }
    return count;
}

int32_t bay_nfkc_casefold(uint32_t code_point, uint32_t *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *normalizer = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) {
        return -1;
    }
    UChar source[2];
    int32_t source_length = 0;
    U16_APPEND_UNSAFE(source, source_length, code_point);
    UChar folded[64];
    int32_t folded_length = unorm2_normalize(normalizer, source, source_length, folded, 64, &status);
    if (U_FAILURE(status)) {
        return -1;
    }
    int32_t written = 0;
    int32_t index = 0;
    while (index < folded_length) {
        UChar32 c;
        U16_NEXT(folded, index, folded_length, c);
        if (written == capacity) {
            return -1;
        }
        out[written++] = (uint32_t)c;
    }
    return written;
}

static UTransliterator *open_traditional_to_simplified(void) {
    static const UChar transform_id[] = u"Traditional-Simplified";
    UErrorCode status = U_ZERO_ERROR;
    UTransliterator *transliterator = utrans_openU(transform_id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    return U_FAILURE(status) ? NULL : transliterator;
}

int32_t bay_transliterate_each_code_point(const uint32_t *code_points, int32_t count, uint32_t *mapped) {
    UTransliterator *transliterator = open_traditional_to_simplified();
    if (transliterator == NULL) {
        return -1;
    }
    for (int32_t i = 0; i < count; i++) {
        UChar buffer[16];
        int32_t length = 0;
        U16_APPEND_UNSAFE(buffer, length, code_points[i]);
        int32_t limit = length;
        UErrorCode status = U_ZERO_ERROR;
        utrans_transUChars(transliterator, buffer, &length, 16, 0, &limit, &status);
        if (U_FAILURE(status)) {
            utrans_close(transliterator);
            return -1;
        }
        UChar32 result = 0;
        int32_t index = 0;
        if (length > 0) {
            U16_NEXT(buffer, index, length, result);
        }
        mapped[i] = (index == length && length > 0) ? (uint32_t)result : 0;
    }
    utrans_close(transliterator);
    return 0;
}

const char *bay_icu_version(void) {
    static char version[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, version);
    return version;
}
