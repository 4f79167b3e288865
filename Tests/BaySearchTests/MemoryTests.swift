@testable import BaySearch
import Foundation
import Testing

/// The allocator helpers: arrays reserved on transparent huge pages keep what they are given,
/// and the kernel gets the advice.
@Suite struct MemoryTests {
    @Test func aReservedArrayStartsEmptyAndKeepsWhatItIsGiven() {
        let capacity = 3 * _Memory.hugePageSize / MemoryLayout<UInt64>.stride
        var array = [UInt64]._reservedOnHugePages(capacity: capacity)
        #expect(array.isEmpty)
        #expect(array.capacity >= capacity)
        let storage = array.capacity
        array.append(contentsOf: (0..<UInt64(capacity)).map { $0 &* 0x9E37_79B9_7F4A_7C15 })
        #expect(array.capacity == storage, "appending up to the capacity reallocates nothing")
        #expect(array.enumerated().allSatisfy { $0.element == UInt64($0.offset) &* 0x9E37_79B9_7F4A_7C15 })
    }

    /// The whole huge pages inside the array's storage are marked for huge pages (`hg` in
    /// the mapping's VmFlags, which only `madvise` sets), where the kernel has transparent
    /// huge pages at all.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")))
    func theKernelIsAdvisedOfTheWholeHugePagesInside() throws {
        let capacity = 3 * _Memory.hugePageSize / MemoryLayout<UInt64>.stride
        var array = [UInt64]._reservedOnHugePages(capacity: capacity)
        array.append(contentsOf: repeatElement(1, count: capacity))
        let base = try #require(array.withUnsafeBufferPointer { $0.baseAddress.map { UInt(bitPattern: $0) } })
        let firstWholePage = (base + UInt(_Memory.hugePageSize) - 1) & ~UInt(_Memory.hugePageSize - 1)
        let flags = try #require(try MemoryTests.vmFlags(of: firstWholePage), "no mapping holds the array")
        #expect(flags.contains("hg"), "VmFlags: \(flags)")
    }

    /// The VmFlags of the mapping of this process that holds `address`.
    private static func vmFlags(of address: UInt) throws -> [Substring]? {
        // /proc files report a size of 0: read to the end rather than by size.
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let smaps = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        var holdsAddress = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, !range.hasSuffix(":"), range.contains("-") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                holdsAddress = bounds.count == 2 && bounds[0] <= address && address < bounds[1]
            } else if holdsAddress, fields.first == "VmFlags:" {
                return Array(fields.dropFirst())
            }
        }
        return nil
    }
}
