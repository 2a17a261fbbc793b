import Glibc

/// Everything that can go wrong configuring or starting a fleet.
public enum FleetError: Error, CustomStringConvertible, Equatable {
    /// A behaviour name that `CameraBehaviour(name:)` does not know.
    case unknownBehaviour(String)
    /// A pattern text that `BehaviourPattern.parse` rejected, and why.
    case invalidPattern(String, reason: String)
    /// A map file line that is not `address behaviour` (line numbers count from 1).
    case invalidMapLine(lineNumber: Int, line: String, reason: String)
    /// A command-line problem of the `camera-fleet` executable.
    case invalidArgument(String)
    /// A picture given to serve (`--snapshot`, `--picture NAME=FILE`) that is not a JPEG the fleet can serve.
    case invalidPicture(String, reason: String)
    /// `start()` on a fleet that is already running.
    case alreadyRunning
    /// A system call failed; `errno` is the value it left.
    case systemCall(String, errno: Int32)

    /// A one-line human explanation.
    public var description: String {
        switch self {
        case .unknownBehaviour(let name):
            return "unknown camera behaviour '\(name)'"
        case .invalidPattern(let text, let reason):
            return "invalid behaviour pattern '\(text)': \(reason)"
        case .invalidMapLine(let lineNumber, let line, let reason):
            return "map line \(lineNumber) '\(line)': \(reason)"
        case .invalidArgument(let message):
            return message
        case .invalidPicture(let name, let reason):
            return "picture \(name): \(reason)"
        case .alreadyRunning:
            return "the camera fleet is already running"
        case .systemCall(let name, let code):
            return "\(name) failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}
