@testable import BaySearch
import Testing

/// The flush's term sort against a plain comparison sort of the same terms.
@Suite struct PrefixSortTests {
    private func sorted(_ terms: [[UInt8]]) -> [Int] {
        let storage = terms.map { term in
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, term.count))
            _ = buffer.initialize(from: term)
            return buffer
        }
        defer { storage.forEach { $0.deallocate() } }
        return _PrefixSort.sorted(termCount: terms.count) { UnsafeBufferPointer(rebasing: storage[$0][..<terms[$0].count]) }
    }

    private func expected(_ terms: [[UInt8]]) -> [Int] {
        terms.indices.sorted { SegmentSerializer.bytewiseLess(terms[$0], terms[$1]) }
    }

    @Test func ordersTermsThatShareOrPadTheirFirstEightBytes() {
        let terms: [[UInt8]] = [
            Array("libreoffice7".utf8), Array("libreoffice".utf8), Array("libreoff".utf8), Array("libreofg".utf8),
            [0], [0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0], Array("港珠澳".utf8), Array("港珠".utf8),
            Array("港".utf8), Array("a".utf8), [0xFF], [0xFF, 0], Array("libreoffice6".utf8),
        ]
        #expect(sorted(terms) == expected(terms))
    }

    @Test(arguments: [0, 1, 2, 300, 5_000])
    func agreesWithAComparisonSortOnRandomTerms(count: Int) {
        var generator = SystemRandomNumberGenerator()
        var seen = Set<[UInt8]>()
        var terms: [[UInt8]] = []
        let alphabets: [[UInt8]] = [[0, 1, 0xFF], Array("abc".utf8), Array(0...255)]
        while terms.count < count {
            let alphabet = alphabets.randomElement(using: &generator) ?? []
            let length = Int.random(in: 1...12, using: &generator)
            // A shared stem, so that many terms agree in their first eight bytes.
            var term = Int.random(in: 0..<3, using: &generator) == 0 ? Array("libreoff".utf8) : []
            term += (0..<length).map { _ in alphabet.randomElement(using: &generator) ?? 0 }
            if seen.insert(term).inserted {
                terms.append(term)
            }
        }
        #expect(sorted(terms) == expected(terms))
    }
}
