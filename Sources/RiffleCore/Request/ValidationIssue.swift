/// One problem with a request: which field, the value given and what is allowed.
///
/// Issues are collected, never thrown one at a time, so a user fixing a request sees every problem
/// in one go.
public struct ValidationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The field's name as the JSON API spells it (`time_signature`, `top_k`, ...).
    public var field: String
    /// The value given, as the user wrote it; `nil` when the field was missing.
    public var value: String?
    /// What went wrong, in a few words ("is out of range", "is required").
    public var problem: String
    /// What the field accepts ("5 to 300 seconds", "one of: wav, flac, ogg, mp3").
    public var allowed: String

    public init(field: String, value: String?, problem: String, allowed: String) {
        self.field = field
        self.value = value
        self.problem = problem
        self.allowed = allowed
    }

    /// `duration: 400 is out of range (allowed: 5 to 300 seconds)`, on one line: control characters
    /// in the field's name or value are escaped, so a request cannot steer the terminal that shows it.
    public var description: String {
        let subject = value.map { " \($0)" } ?? ""
        return "\(field):\(subject) \(problem) (allowed: \(allowed))".escapingControlCharacters()
    }
}

/// A request that failed validation, with every issue found.
public struct RequestValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ValidationIssue]

    public init(issues: [ValidationIssue]) {
        self.issues = issues
    }

    /// The fields that have problems, in the order they were found.
    public var fields: [String] { issues.map(\.field) }

    public var description: String {
        let noun = issues.count == 1 ? "problem" : "problems"
        return "invalid request, \(issues.count) \(noun):\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
