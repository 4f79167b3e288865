/// Keeps a long build's resident memory at what it holds, not what it once held.
enum _Memory {
    /// Gives the pages a flushed segment freed back to the system: glibc keeps freed memory
    /// in its arenas otherwise, and resident memory would creep up with the corpus.
    static func returnFreedPages() {
        #if os(Linux)
        _ = _glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
// glibc's malloc_trim, which the Glibc module does not export (it lives in <malloc.h>).
@_silgen_name("malloc_trim")
private func _glibcMallocTrim(_ padding: Int) -> Int32
#endif
