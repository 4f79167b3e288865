#ifndef BAYSEARCH_CICU_H
#define BAYSEARCH_CICU_H

// The only door from Swift to the system ICU. This header uses stdint types alone: the ICU
// headers are included by the .c files only, because Foundation carries its own ICU and a
// Swift module that saw both would not compile.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An ICU word-break iterator for Chinese text. Not thread-safe: one per thread.
typedef struct BayWordBreaker BayWordBreaker;

/// Opens a word breaker, or returns NULL when ICU cannot (missing data).
BayWordBreaker *bay_wordbreaker_open(void);
void bay_wordbreaker_close(BayWordBreaker *breaker);

/// Counts the words of `text` that ICU classes as letters, numbers, kana or ideographs
/// (rule status >= 100); punctuation and spaces are not words. Returns -1 on an ICU error.
int64_t bay_wordbreaker_count_words(BayWordBreaker *breaker, const uint16_t *text, int32_t length);

/// Writes the UTF-16 ranges [starts[i], ends[i]) of up to `capacity` such words.
/// Returns how many words the text has (which may exceed `capacity`), or -1 on an ICU error.
int32_t bay_wordbreaker_words(BayWordBreaker *breaker, const uint16_t *text, int32_t length,
                              int32_t *starts, int32_t *ends, int32_t capacity);

/// ICU's CJK dictionary segmentation applied straight to runs of Han ideographs, without the
/// word breaker's rule pass. Not thread-safe: one per thread.
typedef struct BayIdeographCounter BayIdeographCounter;

/// Opens the dictionary ICU's word breaker uses for Han, or returns NULL when ICU lacks it or
/// is not ICU 72, whose segmentation this reproduces.
BayIdeographCounter *bay_ideograph_counter_open(void);
void bay_ideograph_counter_close(BayIdeographCounter *counter);

/// The number of words ICU's word breaker finds in `run`, a run of ideographs from
/// U+3400–U+4DBF and U+4E00–U+9FFF that the surrounding text breaks before and after.
/// Returns -1 when `run` holds anything else, or when memory runs out.
int32_t bay_ideograph_counter_count(BayIdeographCounter *counter, const uint16_t *run, int32_t length);

/// NFKC_Casefold of one code point into `out` (UTF-32). Returns the number of code points
/// written (0 when the code point folds away, e.g. a soft hyphen), or -1 on an error.
int32_t bay_nfkc_casefold(uint32_t code_point, uint32_t *out, int32_t capacity);

/// Runs ICU's `Traditional-Simplified` transform on each code point alone: `mapped[i]` gets
/// the result for `code_points[i]` when it is one code point, or 0 when it is not.
/// Returns 0, or -1 on an error. Used to derive and verify the folding table.
int32_t bay_transliterate_each_code_point(const uint32_t *code_points, int32_t count, uint32_t *mapped);

/// The Simplified form of `code_point` under the folding table, or `code_point` itself.
/// The table holds the BMP code points that ICU's `Traditional-Simplified` transform changes
/// one-for-one when run on each alone; it is generated from ICU by
/// `BAYSEARCH_REGENERATE_FOLD_TABLE=1 swift test --filter FoldTableTests`.
uint32_t bay_trad_simp_lookup(uint32_t code_point);

/// How many code points the folding table changes.
int32_t bay_trad_simp_count(void);

/// The ICU version string, e.g. "72.1".
const char *bay_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif
