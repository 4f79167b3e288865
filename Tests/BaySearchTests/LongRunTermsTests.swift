@testable import BaySearch
import Testing

/// The hash-keyed table of long runs' term numbers, with real and with colliding hashes.
@Suite struct LongRunTermsTests {
    /// Runs added as `SegmentWriter` adds terms: bytes appended, then the number recorded.
    private func fill(_ table: inout _LongRunTerms, _ runs: [String]) -> (terms: [UInt8], starts: [Int]) {
        var terms: [UInt8] = []
        var starts = [0]
        for run in runs {
            let bytes = Array(run.utf8)[...]
            #expect(table.number(of: bytes, terms: terms, starts: starts) == nil, "\(run) found before it was added")
            terms += bytes
            starts.append(terms.count)
            table.insert(bytes, number: starts.count - 2)
        }
        return (terms, starts)
    }

    @Test(arguments: [false, true])
    func everyRunGetsItsOwnNumber(collide: Bool) {
        var table = collide ? _LongRunTerms(hash: { _ in 42 }) : _LongRunTerms()
        let runs = ["interoperability", "internationalization", "libreoffice", "libreoffice7", "0123456789"]
        let (terms, starts) = fill(&table, runs)
        for (number, run) in runs.enumerated() {
            #expect(table.number(of: Array(run.utf8)[...], terms: terms, starts: starts) == number, "\(run)")
        }
        #expect(table.number(of: Array("interoperable".utf8)[...], terms: terms, starts: starts) == nil)
        table.removeAll()
        #expect(table.number(of: Array("libreoffice".utf8)[...], terms: terms, starts: starts) == nil)
    }
}
