// ICU's CJK dictionary segmentation of a run of Han ideographs, without ICU's break iterator.
//
// ICU's word breaker finds a run of dictionary characters with its rule pass, then hands the
// run to CjkBreakEngine::divideUpDictionaryRange (ICU 72, cjkbreakengine.cpp), which picks the
// cheapest segmentation by dynamic programming over the dictionary's word costs. For a run of
// unified ideographs that the text breaks before and after, the words ICU reports are exactly
// that segmentation's words. Doing the dynamic programming here, on ICU's own dictionary,
// skips the rule pass, the UText layer and the engine's allocations (in a C prototype on the
// benchmark corpus, its runs took 0.12 s this way where ICU took 0.54 s for the whole text).
// The equivalence with ICU is tested on generated text and on the corpora, and checked by
// the analysis fuzz target and `baysearch bench`.

#include "cicu.h"

#include <new>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucharstrie.h>
#include <unicode/udata.h>
#include <unicode/ures.h>
#include <unicode/uvernum.h>

namespace {

// ICU's dictionary file layout (dictionarydata.h): an index of int32s, then the trie.
const int kTrieOffsetIndex = 0;
const int kTrieTypeIndex = 4;
const int kTransformIndex = 5;
const int32_t kTrieTypeMask = 7;
const int32_t kTrieTypeUChars = 1;
const int32_t kTrieHasValues = 8;

// CjkBreakEngine's constants: the longest word looked up, and the cost of a character the
// dictionary does not hold as a word of its own.
const int32_t kMaxWordLength = 20;
const uint32_t kUnknownCharacterCost = 255;
const uint32_t kUnreached = 0xFFFFFFFFu;

// The ideographs this counter accepts: CJK extension A and the unified ideographs.
const uint16_t kFirstIdeograph = 0x3400;
const uint16_t kLastIdeograph = 0x9FFF;

// The pairs of ideographs whose trie states are kept, in a direct-mapped cache.
const int kSecondStepBits = 14;

bool is_ideograph(uint16_t unit) {
    return (unit >= 0x3400 && unit <= 0x4DBF) || (unit >= 0x4E00 && unit <= 0x9FFF);
}

// A trie state with the result that led to it, in 8 bytes, so that both caches below stay
// small enough for the core's own cache (with ICU's 24-byte State they took 1.8 MB a thread,
// and the load of a pair's entry was a third of the counter's time). ICU's 64-bit state holds
// the remaining match length in its top five bits and the position's offset below; offsets
// into the dictionary are far below 2^56, which leaves bits 56-58 for the result plus one, so
// a packed step is never 0.
const int kResultShift = 56;
const uint64_t kResultMask = UINT64_C(7) << kResultShift;

uint64_t pack_step(const icu::UCharsTrie &trie, UStringTrieResult result) {
    const uint64_t state = result == USTRINGTRIE_NO_MATCH ? 0 : trie.getState64();
    return state | (uint64_t)(result + 1) << kResultShift;
}

UStringTrieResult unpacked_result(uint64_t packed) {
    return (UStringTrieResult)(((packed & kResultMask) >> kResultShift) - 1);
}

uint64_t unpacked_state(uint64_t packed) {
    return packed & ~kResultMask;
}

// The trie's state after a run's first ideograph: the first step from the root, whose
// branch holds every ideograph, is the costliest, so it is taken once per ideograph.
// `packed` is 0 until it is.
struct FirstStep {
    uint64_t packed = 0;
    int32_t value = 0;
};

// The trie's state after a pair of ideographs: the second step, from a branch that may still
// hold hundreds of ideographs, is the next costliest. `pair` is 0 while the entry is empty.
struct SecondStep {
    uint64_t packed = 0;
    uint32_t pair = 0;
    int32_t value = 0;
};

// The name of the dictionary ICU's word breaker loads for Han (the brkitr bundle's
// "dictionaries" table), e.g. "cjdict", without its ".dict" extension.
bool han_dictionary_name(char *name, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UResourceBundle *bundle = ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "", &status);
    UResourceBundle *table = ures_getByKey(bundle, "dictionaries", NULL, &status);
    int32_t length = capacity;
    ures_getUTF8StringByKey(table, "Hani", name, &length, true, &status);
    ures_close(table);
    ures_close(bundle);
    if (U_FAILURE(status)) {
        return false;
    }
    char *extension = strstr(name, ".dict");
    if (extension == NULL) {
        return false;
    }
    *extension = '\0';
    return true;
}

}  // namespace

struct BayIdeographCounter {
    UDataMemory *data = NULL;
    icu::UCharsTrie *trie = NULL;
    FirstStep *first_steps = NULL;
    SecondStep *second_steps = NULL;
    // bestCost[i] and previous[i] for the run's first i ideographs, as in CjkBreakEngine.
    uint32_t *best_cost = NULL;
    int32_t *previous = NULL;
    int32_t capacity = 0;
};

BayIdeographCounter *bay_ideograph_counter_open(void) {
#if U_ICU_VERSION_MAJOR_NUM != 72
    // The algorithm above is ICU 72's; another ICU may cut differently, so it does the counting.
    return NULL;
#endif
    char name[64];
    if (!han_dictionary_name(name, sizeof name)) {
        return NULL;
    }
    UErrorCode status = U_ZERO_ERROR;
    UDataMemory *data = udata_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "dict", name, &status);
    if (U_FAILURE(status)) {
        return NULL;
    }
    const int32_t *indexes = static_cast<const int32_t *>(udata_getMemory(data));
    const int32_t type = indexes[kTrieTypeIndex];
    // Only a UChars trie with word costs and no transform is what CjkBreakEngine reads.
    if ((type & kTrieTypeMask) != kTrieTypeUChars || (type & kTrieHasValues) == 0 || indexes[kTransformIndex] != 0) {
        udata_close(data);
        return NULL;
    }
    const char16_t *trie_units =
        reinterpret_cast<const char16_t *>(reinterpret_cast<const char *>(indexes) + indexes[kTrieOffsetIndex]);
    BayIdeographCounter *counter = new (std::nothrow) BayIdeographCounter;
    if (counter == NULL) {
        udata_close(data);
        return NULL;
    }
    counter->data = data;
    // ICU's own operator new returns NULL rather than throwing.
    counter->trie = new icu::UCharsTrie(trie_units);
    counter->first_steps = new (std::nothrow) FirstStep[kLastIdeograph - kFirstIdeograph + 1];
    counter->second_steps = new (std::nothrow) SecondStep[1 << kSecondStepBits];
    if (counter->trie == NULL || counter->first_steps == NULL || counter->second_steps == NULL) {
        bay_ideograph_counter_close(counter);
        return NULL;
    }
    return counter;
}

void bay_ideograph_counter_close(BayIdeographCounter *counter) {
    if (counter == NULL) {
        return;
    }
    delete counter->trie;
    delete[] counter->first_steps;
    delete[] counter->second_steps;
    free(counter->best_cost);
    free(counter->previous);
    udata_close(counter->data);
    delete counter;
}

static bool reserve(BayIdeographCounter *counter, int32_t length) {
    if (length + 1 <= counter->capacity) {
        return true;
    }
    const int32_t capacity = length + 1 > 2 * counter->capacity ? length + 1 : 2 * counter->capacity;
    uint32_t *best_cost = static_cast<uint32_t *>(realloc(counter->best_cost, sizeof(uint32_t) * (size_t)capacity));
    if (best_cost == NULL) {
        return false;
    }
    counter->best_cost = best_cost;
    int32_t *previous = static_cast<int32_t *>(realloc(counter->previous, sizeof(int32_t) * (size_t)capacity));
    if (previous == NULL) {
        return false;
    }
    counter->previous = previous;
    counter->capacity = capacity;
    return true;
}

static const FirstStep &first_step(BayIdeographCounter *counter, uint16_t ideograph) {
    FirstStep &step = counter->first_steps[ideograph - kFirstIdeograph];
    if (step.packed == 0) {
        counter->trie->reset();
        const UStringTrieResult result = counter->trie->first(ideograph);
        step.value = USTRINGTRIE_HAS_VALUE(result) ? counter->trie->getValue() : 0;
        step.packed = pack_step(*counter->trie, result);
    }
    return step;
}

static inline uint32_t second_step_slot(uint16_t first, uint16_t second) {
    return (((uint32_t)first << 16 | second) * 2654435761u) >> (32 - kSecondStepBits);
}

// The step after `first` to `second`, with the trie standing after `first` when the pair is
// not cached yet.
static const SecondStep &second_step(BayIdeographCounter *counter, uint16_t first, uint16_t second) {
    const uint32_t pair = (uint32_t)first << 16 | second;
    SecondStep &step = counter->second_steps[second_step_slot(first, second)];
    if (step.pair != pair) {
        step.pair = pair;
        const UStringTrieResult result = counter->trie->next(second);
        step.value = USTRINGTRIE_HAS_VALUE(result) ? counter->trie->getValue() : 0;
        step.packed = pack_step(*counter->trie, result);
    }
    return step;
}

// Offers the segmentation that ends a word of `length` ideographs at `start + length`.
static inline void relax(BayIdeographCounter *counter, int32_t start, int32_t length, uint32_t cost) {
    const uint32_t total = counter->best_cost[start] + cost;
    if (total < counter->best_cost[start + length]) {
        counter->best_cost[start + length] = total;
        counter->previous[start + length] = start;
    }
}

int32_t bay_ideograph_counter_count(BayIdeographCounter *counter, const uint16_t *run, int32_t length) {
    if (length <= 0) {
        return 0;
    }
    for (int32_t i = 0; i < length; i++) {
        if (!is_ideograph(run[i])) {
            return -1;
        }
    }
    if (!reserve(counter, length)) {
        return -1;
    }
    uint32_t *best_cost = counter->best_cost;
    best_cost[0] = 0;
    for (int32_t i = 1; i <= length; i++) {
        best_cost[i] = kUnreached;
    }
    icu::UCharsTrie &trie = *counter->trie;
    for (int32_t start = 0; start < length; start++) {
        // Both caches are met at random and outgrow the CPU's nearest caches: ask for the
        // next start's entries while this one is worked out.
        if (start + 2 < length) {
            __builtin_prefetch(&counter->first_steps[run[start + 1] - kFirstIdeograph]);
            __builtin_prefetch(&counter->second_steps[second_step_slot(run[start + 1], run[start + 2])]);
        }
        if (best_cost[start] == kUnreached) {
            continue;
        }
        // The dictionary's words that start here, shortest first (UCharsDictionaryMatcher).
        bool has_single = false;
        const int32_t limit = length - start < kMaxWordLength ? length - start : kMaxWordLength;
        const FirstStep &first = first_step(counter, run[start]);
        UStringTrieResult result = unpacked_result(first.packed);
        int32_t value = first.value;
        if (result != USTRINGTRIE_NO_MATCH) {
            trie.resetToState64(unpacked_state(first.packed));
        }
        for (int32_t matched = 1; result != USTRINGTRIE_NO_MATCH; matched++) {
            if (USTRINGTRIE_HAS_VALUE(result)) {
                has_single = has_single || matched == 1;
                relax(counter, start, matched, (uint32_t)value);
                if (result == USTRINGTRIE_FINAL_VALUE) {
                    break;
                }
            }
            if (matched >= limit) {
                break;
            }
            if (matched == 1) {
                const SecondStep &second = second_step(counter, run[start], run[start + 1]);
                result = unpacked_result(second.packed);
                value = second.value;
                if (result != USTRINGTRIE_NO_MATCH) {
                    trie.resetToState64(unpacked_state(second.packed));
                }
            } else {
                result = trie.next(run[start + matched]);
                value = USTRINGTRIE_HAS_VALUE(result) ? trie.getValue() : 0;
            }
        }
        // A character that is no word of its own is one, at the highest cost.
        if (!has_single) {
            relax(counter, start, 1, kUnknownCharacterCost);
        }
    }
    if (best_cost[length] == kUnreached) {
        return 1;
    }
    int32_t words = 0;
    for (int32_t end = length; end > 0; end = counter->previous[end]) {
        words += 1;
    }
    return words;
}
