#ifndef BAYSEARCH_CPREFETCH_H
#define BAYSEARCH_CPREFETCH_H

// A hint Swift has no spelling for. Static inline, so that Swift inlines it into its loops.

/// Asks the CPU to start loading the cache line holding `address`, so that a load from it a
/// little later finds it there. Only a hint: it never faults, whatever `address` is.
static inline void bay_prefetch(const void *address) {
    __builtin_prefetch(address);
}

#endif
