#if canImport(Glibc)
import Glibc
#endif

/// Tunes glibc's allocator, for the whole process, to the work at hand: a long build's
/// resident memory kept at what it holds, queries' arrays reused without page faults; and
/// advises the kernel to back a build's largest arrays with huge pages.
enum _Memory {
    /// Makes glibc map every block over 128 KiB on its own and unmap it when freed, for the
    /// whole process. By default glibc raises that threshold whenever such a block is
    /// freed, after which the large arrays of each flushed segment come from its arenas,
    /// fragment them, and resident memory creeps up with the corpus (8× the benchmark
    /// corpus: 83 MB instead of 103).
    static func mapLargeBlocksSeparately() {
        #if os(Linux)
        _ = _glibcMallopt(_mallocMmapThreshold, 128 << 10)
        #endif
    }

    /// Makes glibc keep freed blocks of up to 32 MiB, and up to 64 MiB of free memory at the
    /// top of its heap, for the next query: by default a block over 128 KiB (the arrays of a
    /// common ideograph's documents) is mapped on its own, and, after glibc raises that
    /// threshold, the heap's top is trimmed, so each query faulted its arrays' pages in
    /// again (a third of `表`'s search time on 8× the benchmark corpus).
    static func keepFreedBlocksForReuse() {
        #if os(Linux)
        _ = _glibcMallopt(_mallocMmapThreshold, 32 << 20)
        _ = _glibcMallopt(_mallocTrimThreshold, 64 << 20)
        #endif
    }

    /// Gives freed pages back to the system, which glibc otherwise keeps in its arenas: the
    /// workers' buffers, once they are done, before merging needs memory of its own. (Not
    /// after every flush: a worker reuses its buffers, and trimming what a flush freed only
    /// made the next flush fault its pages in again, 6% of an 8× build.)
    static func returnFreedPages() {
        #if os(Linux)
        _ = _glibcMallocTrim(0)
        #endif
    }

    /// The size of a transparent huge page on x86-64 and most arm64 kernels.
    static let hugePageSize = 2 << 20

    /// Asks the kernel to back the whole huge pages inside `bytes` with transparent huge
    /// pages when they are first touched: one page fault and one TLB entry for 2 MiB
    /// instead of 512. Only advice: contents are untouched, and where transparent huge
    /// pages are off, nothing changes.
    static func adviseHugePages(_ bytes: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = bytes.baseAddress else {
            return
        }
        let start = (Int(bitPattern: base) + hugePageSize - 1) & ~(hugePageSize - 1)
        let end = (Int(bitPattern: base) + bytes.count) & ~(hugePageSize - 1)
        if end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(aligned, end - start, _adviseHugePages)
        }
        #endif
    }
}

extension Array {
    /// An empty array with room for `capacity` elements, its memory advised onto
    /// transparent huge pages (`_Memory.adviseHugePages`): for the large arrays a build's
    /// worker fills at random, which took a page fault every 4 KiB and a TLB miss on most
    /// accesses.
    ///
    ///     var postings = [_TermPostings]._reservedOnHugePages(capacity: 125_000)
    static func _reservedOnHugePages(capacity: Int) -> [Element] {
        Array(unsafeUninitializedCapacity: capacity) { buffer, count in
            _Memory.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
            count = 0
        }
    }
}

#if os(Linux)
// Linux's MADV_HUGEPAGE, which the Glibc module does not export.
private let _adviseHugePages: Int32 = 14

// glibc's malloc_trim, which the Glibc module does not export (it lives in <malloc.h>).
@_silgen_name("malloc_trim")
private func _glibcMallocTrim(_ padding: Int) -> Int32

// glibc's mallopt, M_MMAP_THRESHOLD and M_TRIM_THRESHOLD, also from <malloc.h>.
@_silgen_name("mallopt")
private func _glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let _mallocMmapThreshold: Int32 = -3
private let _mallocTrimThreshold: Int32 = -1
#endif
