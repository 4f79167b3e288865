@testable import BaySearch
import Foundation
import Testing

/// The syncer that takes flushed segments off the indexing workers: a failed sync must stop
/// the commit, and every descriptor handed over must be closed.
@Suite struct BackgroundSyncTests {
    @Test func aFileThatCannotBeSyncedFailsTheWaitAndIsClosed() throws {
        // fsync refuses a pipe (EINVAL); its read end tells when the write end is closed.
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        #expect(fcntl(ends[0], F_SETFL, O_NONBLOCK) == 0)  // an open write end: EAGAIN, not a hang
        let syncs = _BackgroundSync()
        syncs.syncAndClose(ends[1], path: "seg-pipe.bay")
        #expect {
            try syncs.waitForAll()
        } throws: { error in
            guard case IndexError.unwritable(let path, _) = error else {
                return false
            }
            return path == "seg-pipe.bay"
        }
        var byte: UInt8 = 0
        #expect(read(ends[0], &byte, 1) == 0, "the write end is still open")
    }

    @Test func syncedFilesLetTheWaitReturn() throws {
        let directory = try TemporaryDirectory()
        let syncs = _BackgroundSync()
        for index in 0..<3 {
            let path = directory.path + "/seg-\(index).bay"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            #expect(descriptor >= 0)
            #expect(write(descriptor, "segment", 7) == 7)
            syncs.syncAndClose(descriptor, path: path)
        }
        try syncs.waitForAll()
    }

    @Test func aSegmentHandedOverReadsBack() throws {
        let directory = try TemporaryDirectory()
        var writer = SegmentWriter()
        let analyzer = Analyzer()
        let text = Array("港珠澳大橋\n\n連接香港".utf8)
        writer.add(
            SourceDocument(id: "a", title: "a", text: text, origin: "a"), analyzed: try analyzer.analyzeDocument(text))
        let syncs = _BackgroundSync()
        let path = directory.path + "/seg-1-0.bay"
        try SegmentSerializer.write(writer, to: path, syncedBy: syncs)
        try syncs.waitForAll()
        let reader = try SegmentReader(path: path)
        #expect(reader.documentCount == 1)
    }

    @Test func writebackIsStartedForAFileAndRefusedForAPipe() throws {
        let directory = try TemporaryDirectory()
        let descriptor = open(directory.path + "/seg-1-0.bay", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let bytes = [UInt8](repeating: 7, count: 3 * 4096)
        #expect(bytes.withUnsafeBytes { _FileIO.writeAll($0, to: descriptor) } == nil)
        #if os(Linux)
        #expect(_FileIO.startWriteback(of: descriptor, offset: 4096, length: 2 * 4096))
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(!_FileIO.startWriteback(of: ends[1], offset: 0, length: 4096), "a pipe has no pages to write back")
        #endif
        #expect(fsync(descriptor) == 0)
    }
}
