#include "ccompression.h"

#include <pthread.h>
#include <zstd.h>

// One compression and one decompression context per thread, reused: creating a context for
// every document costs more than compressing a small one.
static pthread_key_t compression_key, decompression_key;
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void free_compression_context(void *context) { ZSTD_freeCCtx(context); }
static void free_decompression_context(void *context) { ZSTD_freeDCtx(context); }

static void make_keys(void) {
    pthread_key_create(&compression_key, free_compression_context);
    pthread_key_create(&decompression_key, free_decompression_context);
}

static ZSTD_CCtx *compression_context(void) {
    pthread_once(&keys_once, make_keys);
    ZSTD_CCtx *context = pthread_getspecific(compression_key);
    if (context == NULL && (context = ZSTD_createCCtx()) != NULL) {
        pthread_setspecific(compression_key, context);
    }
    return context;
}

static ZSTD_DCtx *decompression_context(void) {
    pthread_once(&keys_once, make_keys);
    ZSTD_DCtx *context = pthread_getspecific(decompression_key);
    if (context == NULL && (context = ZSTD_createDCtx()) != NULL) {
        pthread_setspecific(decompression_key, context);
    }
    return context;
}

int64_t bay_compress_bound(int64_t length) {
    return (int64_t)ZSTD_compressBound((size_t)length);
}

int64_t bay_compress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity, int32_t level) {
    ZSTD_CCtx *context = compression_context();
    size_t written = context != NULL
        ? ZSTD_compressCCtx(context, output, (size_t)capacity, input, (size_t)length, level)
        : ZSTD_compress(output, (size_t)capacity, input, (size_t)length, level);
    return ZSTD_isError(written) ? -1 : (int64_t)written;
}

int64_t bay_decompressed_size(const uint8_t *input, int64_t length) {
    unsigned long long size = ZSTD_getFrameContentSize(input, (size_t)length);
    return (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > INT64_MAX) ? -1 : (int64_t)size;
}

int64_t bay_decompress(const uint8_t *input, int64_t length, uint8_t *output, int64_t capacity) {
    ZSTD_DCtx *context = decompression_context();
    size_t written = context != NULL
        ? ZSTD_decompressDCtx(context, output, (size_t)capacity, input, (size_t)length)
        : ZSTD_decompress(output, (size_t)capacity, input, (size_t)length);
    return (ZSTD_isError(written) || (int64_t)written != capacity) ? -1 : (int64_t)written;
}
