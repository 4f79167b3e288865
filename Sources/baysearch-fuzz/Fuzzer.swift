#if BAYSEARCH_FUZZING
import Foundation

// The entry points libFuzzer calls. This file is compiled only in the fuzzing build
// (`-DBAYSEARCH_FUZZING`, `--sanitize=fuzzer`), where libFuzzer provides `main`.

/// The target chosen at start-up; libFuzzer calls the entry points from one thread only.
nonisolated(unsafe) private var activeTarget: FuzzTarget?

/// Chooses the target from `--target=NAME`, which libFuzzer itself ignores (it skips every
/// flag that starts with `--`), and sets it up once for all inputs.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> CInt {
    let arguments = (0..<Int(argc.pointee)).compactMap { argv.pointee[$0].map { String(cString: $0) } }
    activeTarget = FuzzTargets.target(chosenBy: arguments)
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    activeTarget?.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif
