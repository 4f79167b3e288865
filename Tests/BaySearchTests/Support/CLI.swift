import Foundation

/// Runs the `baysearch` binary built beside this test bundle, as a user would.
enum CLI {
    struct Run {
        var status: Int32
        var output: String
        var error: String

        /// The lines written to stderr.
        var errorLines: [Substring] { error.split(separator: "\n") }
    }

    /// A binary built beside this test bundle: `baysearch` or `baysearch-fuzz`.
    static func product(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// The `baysearch` binary built beside this test bundle.
    static let binary = product("baysearch")

    /// Runs `binary arguments` (`baysearch` unless told) in `directory`, without colour.
    ///
    /// - Parameter fileSizeBlocks: a file size limit for the run, in 512-byte blocks (`ulimit
    ///   -f` in POSIX `sh`): writing past it fails as a full disk would.
    static func run(
        _ arguments: [String], in directory: String? = nil, fileSizeBlocks: Int? = nil, binary: URL = CLI.binary
    ) throws -> Run {
        let process = Process()
        if let fileSizeBlocks {
            // A test runs on a thread that blocks most signals, and a child starts with its
            // mask; unblocked, SIGXFSZ reaches the binary as it would from a user's shell.
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            sigaddset(&unblocked, SIGXFSZ)
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f \(fileSizeBlocks) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        if let directory {
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read stderr on its own thread: a child that fills one pipe while the test waits
        // on the other would never finish.
        nonisolated(unsafe) var errorData = Data()
        let errorRead = DispatchGroup()
        errorRead.enter()
        DispatchQueue.global().async {
            errorData = error.fileHandleForReading.readDataToEndOfFile()
            errorRead.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        errorRead.wait()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }
}
