/// Why a text could not be analysed.
public enum AnalysisError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not UTF-8; `offset` is the first byte that is not.
    case invalidUTF8(offset: Int)
    /// The text is larger than one document may be (1 GiB).
    case tooLarge(bytes: Int)
    /// ICU's word breaker could not be opened or failed.
    case segmenterUnavailable

    public var description: String {
        switch self {
        case .invalidUTF8(let offset):
            return "invalid UTF-8 at byte \(offset)"
        case .tooLarge(let bytes):
            return "\(bytes) bytes is more than one document may hold (1 GiB); split it"
        case .segmenterUnavailable:
            return "ICU's word breaker is unavailable; check that libicu is installed"
        }
    }
}
