import ArgumentParser
import RiffleCore

// Numeric options are declared as text, with `parsing: .unconditional` so that a negative number
// (`--seed -1`, `--tempo -5`) is taken as the option's value rather than as an unknown option, and
// are converted here. That way every bad value is reported at once, as the request model reports
// every bad field, instead of ArgumentParser stopping at the first; and only plain decimal numbers
// are numbers: Swift's `Double("0x10")` is 16, and it also reads "nan", "inf" and "0x1p4".

/// A number read from an option: its value, or what is wrong with the text.
enum ParsedNumber<Value> {
    case value(Value)
    case notANumber
    case notWhole
    case outOfRange

    /// What is wrong, in the words of a ``ValidationIssue``; `nil` for a value.
    var problem: String? {
        switch self {
        case .value: nil
        case .notANumber: "is not a number"
        case .notWhole: "is not a whole number"
        case .outOfRange: "is out of range"
        }
    }

    var value: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// Whether `text` is a plain decimal number: an optional sign, digits with at most one decimal
/// point, an optional exponent (`-5`, `0.8`, `.5`, `1e3`), nothing else.
func isDecimal(_ text: String) -> Bool {
    text.wholeMatch(of: /[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?/) != nil
}

/// `text` as a finite decimal number.
func parseNumber(_ text: String) -> ParsedNumber<Double> {
    guard isDecimal(text), let number = Double(text) else { return .notANumber }
    return number.isFinite ? .value(number) : .outOfRange
}

/// `text` as a whole number of type `T`: a decimal number with no fraction that fits in `T`.
func parseWhole<T: FixedWidthInteger>(_ text: String, as type: T.Type = Int.self) -> ParsedNumber<T> {
    // Digits alone are read exactly, past what a Double holds.
    if text.wholeMatch(of: /[+-]?[0-9]+/) != nil {
        return T(text).map { .value($0) } ?? .outOfRange
    }
    switch parseNumber(text) {
    case .value(let number):
        guard number == number.rounded() else { return .notWhole }
        return T(exactly: number).map { .value($0) } ?? .outOfRange
    case .outOfRange: return .outOfRange
    default: return .notANumber
    }
}

/// Reads options' values, collecting a ``ValidationIssue`` for each bad one.
struct OptionReader {
    var issues: [ValidationIssue] = []

    /// The number `text` holds for request field `field`; `nil` (and an issue) when it holds none.
    mutating func number(_ text: String, _ field: GenerationRequest.CodingKeys) -> Double? {
        record(parseNumber(text), text, field: field.rawValue, allowed: field.allowed)
    }

    /// The whole number `text` holds for request field `field`.
    mutating func whole<T: FixedWidthInteger>(_ text: String, _ field: GenerationRequest.CodingKeys, as type: T.Type = Int.self) -> T? {
        record(parseWhole(text, as: type), text, field: field.rawValue, allowed: field.allowed)
    }

    /// The number `text` holds for an option that is not a request field, named as typed.
    mutating func number(_ text: String, option: String, allowed: String) -> Double? {
        record(parseNumber(text), text, field: option, allowed: allowed)
    }

    /// Records an issue for an option.
    mutating func add(_ field: String, _ value: String?, _ problem: String, allowed: String) {
        issues.append(.init(field: field, value: value.map { isDecimal($0) ? $0 : "\"\($0)\"" }, problem: problem, allowed: allowed))
    }

    private mutating func record<T>(_ parsed: ParsedNumber<T>, _ text: String, field: String, allowed: String) -> T? {
        if let problem = parsed.problem {
            // A number is shown as typed; anything else in quotes, so an empty value shows as "".
            let shown = isDecimal(text) ? text : "\"\(text)\""
            issues.append(.init(field: field, value: shown, problem: problem, allowed: allowed))
        }
        return parsed.value
    }

    /// Prints every issue and exits with status 2 when there are any.
    func check() throws {
        guard !issues.isEmpty else { return }
        if issues.count == 1 {
            printError("riffle: \(issues[0])")
        } else {
            printError("riffle: \(issues.count) problems:\n" + issues.map { "  - \($0)" }.joined(separator: "\n"))
        }
        throw ExitStatus.badInput
    }
}
