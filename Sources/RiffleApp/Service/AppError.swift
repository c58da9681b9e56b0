/// Why the application core refused or failed a call, in words a user can act on, with the kind of
/// problem so each front end answers it its own way (an exit status, an HTTP status, a message).
public struct AppError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The request or an argument is wrong: it names the field and what is allowed.
        case badInput
        /// An id names no job or take.
        case unknownID
        /// A file or the library cannot be read or written.
        case fileError
        /// The engine cannot start, or failed.
        case engineFailed
        /// The job was not in a state for this (a running job resumed, say).
        case conflict
    }

    public var kind: Kind
    public var description: String
    /// For bad input, the request field at fault as the JSON API spells it (`duration`, `top_k`): the
    /// first one, when several are wrong (the description names them all).
    public var field: String?

    public init(_ kind: Kind, _ description: String, field: String? = nil) {
        self.kind = kind
        self.description = description
        self.field = field
    }

    static func unknown(_ id: String) -> AppError {
        AppError(.unknownID, "no job or take with id \(id)")
    }
}

extension Library.Failure {
    var asAppError: AppError { AppError(.fileError, description) }
}
