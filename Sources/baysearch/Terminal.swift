#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Foundation

/// Where output goes and what the terminal can show.
enum Terminal {
    static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Colour only on a terminal, and never when NO_COLOR is set.
    static var useColor: Bool {
        standardOutputIsTerminal && getenv("NO_COLOR") == nil && getenv("TERM").map { String(cString: $0) } != "dumb"
    }

    static func printError(_ message: String) {
        writeError("baysearch: \(message)\n")
    }

    static func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Reports `error` in one line on stderr and returns the exit code to leave with.
    static func fail(_ error: Error) -> ExitCode {
        printError("error: \(error)")
        return ExitCode.failure
    }
}
