import BaySearch
import Foundation
import Testing

/// The fuzz targets, run by their replayer (`baysearch-fuzz` built without libFuzzer) on
/// the seed corpora, so that a seed that breaks a promise fails here without the fuzzing
/// build. Tests/Fuzz/run.sh does the fuzzing itself.
@Suite struct FuzzReplayTests {
    static let seeds = URL(fileURLWithPath: Fixtures.corpusPath).deletingLastPathComponent()
        .appendingPathComponent("Tests/Fuzz/seeds").path

    private func replay(_ target: String, _ paths: [String]) throws {
        let run = try CLI.run(["--target=\(target)"] + paths, binary: CLI.product("baysearch-fuzz"))
        #expect(run.status == 0, "\(run.error.suffix(2_000))")
        #expect(run.output.hasSuffix("no failure\n"), "\(run.output)")
    }

    @Test(arguments: ["query-parser", "analysis"])
    func seedsPass(target: String) throws {
        try replay(target, [FuzzReplayTests.seeds + "/" + target])
    }

    /// The segment-reader target's seed is built, as run.sh builds it, from the analysis
    /// seeds; every truncation of it must be refused with an error, not a crash.
    @Test func segmentSeedAndItsTruncationsPass() throws {
        let directory = try TemporaryDirectory()
        let indexPath = directory.path + "/index"
        try IndexBuilder(workerCount: 1).build(sources: [FuzzReplayTests.seeds + "/analysis"], into: indexPath)
        let segments = try FileManager.default.contentsOfDirectory(atPath: indexPath).filter { $0.hasSuffix(".bay") }
        let segment = try #require(segments.count == 1 ? segments.first : nil)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: indexPath + "/" + segment))
        try directory.write("inputs/valid", bytes)
        for length in stride(from: 0, to: bytes.count, by: 53) {
            try directory.write("inputs/truncated-\(length)", bytes.prefix(length))
        }
        try replay("segment-reader", [directory.path + "/inputs"])
    }
}
