import Foundation

/// Reads a generation request from JSON text a user wrote, strictly, reporting every problem.
///
/// The text is scanned first (``StrictJSONScanner``): nesting deeper than ``maximumDepth`` or broken
/// structure is a ``MalformedJSON``; a field given twice, a number in no JSON form or out of range,
/// and text with bytes that are not UTF-8, lone surrogates or raw control characters are each
/// reported against their field. The fields without such problems are then decoded and range-checked
/// as ``GenerationRequest``'s `Codable` conformance does, and every issue comes back in one
/// ``RequestValidationError``.
public enum RequestJSON {
    /// How deep lists and objects may nest. A request is flat; the bound keeps any reader's recursion
    /// (Foundation's crashes past 512 levels) far away.
    public static let maximumDepth = 64

    /// The request in `data`.
    ///
    /// - Parameters:
    ///   - knownGenres: the presets `genre` may name; `nil` skips that check.
    ///   - otherFields: fields a front end reads itself (the server's `webhook_url`): skipped here
    ///     rather than reported as unknown.
    /// - Throws: ``MalformedJSON`` when the text is not a JSON object at all, else
    ///   ``RequestValidationError`` with every problem of every field.
    public static func decode(_ data: Data, knownGenres: GenreNames?, otherFields: Set<String> = []) throws -> GenerationRequest {
        var scanner = StrictJSONScanner(Array(data), maximumDepth: maximumDepth)
        let members = try scanner.scanObjectDocument()
        let known = Set(GenerationRequest.CodingKeys.allCases.map(\.rawValue))
        var issues: [ValidationIssue] = []
        var rawValues: [String: String] = [:]
        // A clean copy of the object for the decoder: each key once, and a field with a problem
        // (already reported) set to null so that it is not reported again.
        var clean: [String] = []
        let copies = Dictionary(grouping: members, by: \.key)
        var written: Set<String> = []
        for member in members where written.insert(member.key).inserted && !otherFields.contains(member.key) {
            let copies = copies[member.key] ?? []
            let field = GenerationRequest.CodingKeys(rawValue: member.key)
            var value = String(decoding: scanner.bytes[member.value], as: UTF8.self)
            if field != nil, copies.count > 1 {
                let given = copies.map { scanner.snippet($0.value, limit: 24) }.joined(separator: ", then ")
                issues.append(.init(field: member.key, value: nil, problem: "is given \(copies.count) times (\(given))",
                                    allowed: "each field once"))
                value = "null"
            } else if let field, !member.problems.isEmpty {
                issues.append(.init(field: member.key, value: scanner.snippet(member.value),
                                    problem: describe(member.problems, of: member, scanner), allowed: field.allowed))
                value = "null"
            } else if known.contains(member.key) {
                rawValues[member.key] = scanner.snippet(member.value)
            } else {
                // An unknown field is reported by name; its value does not matter.
                value = "null"
            }
            clean.append(quoted(member.key) + ":" + value)
        }
        let decoder = JSONDecoder()
        decoder.userInfo[.riffleKnownGenres] = knownGenres
        decoder.userInfo[.riffleRawValues] = rawValues
        var request: GenerationRequest?
        do {
            request = try decoder.decode(GenerationRequest.self, from: Data(("{" + clean.joined(separator: ",") + "}").utf8))
        } catch let error as RequestValidationError {
            // A field reported here was decoded as absent: its "is required" or default says nothing new.
            let fields = Set(issues.map(\.field))
            issues += error.issues.filter { !fields.contains($0.field) }
        }
        guard let request, issues.isEmpty else { throw RequestValidationError(issues: issues) }
        return request
    }

    /// Up to three of a value's problems, one sentence: "has a raw line break ...; has bytes ...".
    private static func describe(_ problems: [StrictJSONScanner.Problem], of member: StrictJSONScanner.Member,
                                 _ scanner: StrictJSONScanner) -> String {
        var sentences: [String] = []
        for problem in problems {
            // A problem deeper in a list or object says where it is.
            let sentence = problem.token == member.value ? problem.text
                : "contains \(scanner.snippet(problem.token, limit: 24)), which \(problem.text)"
            if !sentences.contains(sentence) { sentences.append(sentence) }
        }
        let more = sentences.count > 3 ? " (and \(sentences.count - 3) more)" : ""
        return sentences.prefix(3).joined(separator: "; ") + more
    }

    /// `text` as a JSON string.
    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{0}"..."\u{1F}": out += String(format: "\\u%04X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension CodingUserInfoKey {
    /// Each field's JSON value as the user wrote it, so messages quote it exactly (a seed of
    /// 9223372036854775808, not 9.223372036854776e+18).
    static let riffleRawValues = CodingUserInfoKey(rawValue: "riffle.rawValues")!
}

/// JSON text that cannot be read as a request at all: not JSON, nested too deep, or not an object.
///
/// Problems that stay inside one field's value (a number out of range, text that is not UTF-8, a
/// duplicate key) are not this error: ``RequestJSON`` reports those per field with every other problem.
public struct MalformedJSON: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the problem.
    public var line: Int
    /// 1-based column of the problem, in characters.
    public var column: Int
    /// What is wrong there, in a few words.
    public var problem: String

    public init(line: Int, column: Int, problem: String) {
        self.line = line
        self.column = column
        self.problem = problem
    }

    /// `line 1, column 65: lists and objects nest deeper than 64 levels`
    public var description: String {
        "line \(line), column \(column): \(problem)".escapingControlCharacters()
    }
}
