/// Reads JSON text strictly (RFC 8259), byte by byte, and says what is wrong where.
///
/// Foundation's parser crashes on deep nesting, keeps the first of two equal keys, and reports a
/// bad number or bad text anywhere as the whole value having the wrong type. This scanner bounds the
/// nesting, and recovers from every problem that stays inside a value (a number in no JSON form or
/// out of Double's range, a word that is no JSON value, bytes that are not UTF-8, a lone surrogate,
/// a raw control character, an unknown escape, a key given twice), recording it against that value,
/// so one pass finds them all. Only broken structure stops it.
struct StrictJSONScanner {
    /// A problem inside a value: where it is, and what it is ("is not a JSON number: ...").
    struct Problem {
        var token: Range<Int>
        var text: String
    }

    /// One field of the top-level object as written.
    struct Member {
        var key: String
        /// The value's bytes.
        var value: Range<Int>
        /// What is wrong inside the value, in reading order.
        var problems: [Problem]
    }

    let bytes: [UInt8]
    let maximumDepth: Int
    private var index = 0
    private var problems: [Problem] = []

    init(_ bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// The members of the object the text holds, in order, duplicates included.
    mutating func scanObjectDocument() throws(MalformedJSON) -> [Member] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        guard index < bytes.count else { throw malformed("the input is empty; a request is a JSON object such as {\"prompt\": \"...\"}") }
        let start = index
        var members: [Member] = []
        let kind: String
        if bytes[index] == UInt8(ascii: "{") {
            members = try scanObject(depth: 1, collecting: true)
            kind = "an object"
        } else {
            // Read it all first, so that nesting or broken structure is what gets reported.
            kind = try scanValue(depth: 0)
        }
        skipWhitespace()
        guard index == bytes.count else { throw malformed("unexpected \(found) after the end of the JSON value") }
        guard kind == "an object" else {
            index = start
            throw malformed("the request is \(kind), not a JSON object such as {\"prompt\": \"...\"}")
        }
        return members
    }

    /// The JSON text of `range`, shortened for a message.
    func snippet(_ range: Range<Int>, limit: Int = 40) -> String {
        let text = String(decoding: bytes[range], as: UTF8.self)
        return text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    // MARK: Values

    /// Reads one value; returns what kind it is, in words.
    private mutating func scanValue(depth: Int) throws(MalformedJSON) -> String {
        skipWhitespace()
        guard index < bytes.count else { throw malformed("expected a value, found the end of the input") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            _ = try scanObject(depth: depth + 1, collecting: false)
            return "an object"
        case UInt8(ascii: "["):
            try scanArray(depth: depth + 1)
            return "a list"
        case UInt8(ascii: "\""):
            _ = try scanString()
            return "text"
        case let byte where Self.isTokenByte(byte):
            return scanToken()
        default:
            throw malformed("expected a value, found \(found)")
        }
    }

    private mutating func scanObject(depth: Int, collecting: Bool) throws(MalformedJSON) -> [Member] {
        guard depth <= maximumDepth else { throw malformed("lists and objects nest deeper than \(maximumDepth) levels") }
        index += 1
        var members: [Member] = []
        var keys: Set<String> = []
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw malformed("expected a field name in double quotes, found \(found)") }
            let keyStart = index
            let problemsBefore = problems.count
            let key = try scanString()
            // A top-level key with bad text cannot name a field; it is reported as an unknown field.
            if collecting { problems.removeSubrange(problemsBefore...) }
            if !collecting, !keys.insert(key).inserted {
                problems.append(Problem(token: keyStart..<index, text: "appears more than once in one object"))
            }
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw malformed("expected ':' after a field name, found \(found)") }
            index += 1
            skipWhitespace()
            let valueStart = index
            _ = try scanValue(depth: depth)
            if collecting {
                members.append(Member(key: key, value: valueStart..<index, problems: problems))
                problems.removeAll()
            }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return members
            default: throw malformed("expected ',' or '}' after a field's value, found \(found)")
            }
        }
    }

    private mutating func scanArray(depth: Int) throws(MalformedJSON) {
        guard depth <= maximumDepth else { throw malformed("lists and objects nest deeper than \(maximumDepth) levels") }
        index += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            _ = try scanValue(depth: depth)
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            default: throw malformed("expected ',' or ']' after a list item, found \(found)")
            }
        }
    }

    /// A bare word: a number, true, false or null, or something JSON does not have.
    private mutating func scanToken() -> String {
        let start = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        switch text {
        case "true", "false": return "true or false"
        case "null": return "null"
        default: break
        }
        let unsigned = text.drop { $0 == "-" || $0 == "+" }
        if let first = unsigned.first, first.isLetter {
            problems.append(Problem(token: start..<index, text: "is not a JSON value: JSON has numbers, \"text\", true, false and null"))
            return "a word"
        }
        if let reason = Self.numberProblem(text) {
            problems.append(Problem(token: start..<index, text: "is not a JSON number: \(reason)"))
        } else if !(Double(text)?.isFinite ?? false) {
            problems.append(Problem(token: start..<index, text: "is out of range: it is too large for any number"))
        }
        return "a number"
    }

    /// Why `text` is not in JSON's number form, or `nil` when it is:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    static func numberProblem(_ text: String) -> String? {
        var rest = Substring(text)
        if rest.first == "+" { return "JSON numbers take no + sign" }
        if rest.first == "-" { rest = rest.dropFirst() }
        func digits() -> Int {
            let count = rest.prefix { $0.isASCII && $0.isNumber }.count
            rest = rest.dropFirst(count)
            return count
        }
        if rest.first == "." { return "a digit must come before the decimal point" }
        let integer = rest
        let integerDigits = digits()
        if integerDigits == 0 { return "it does not start with a digit" }
        if integerDigits > 1, integer.first == "0" { return "it has a leading zero" }
        if rest.first == "." {
            rest = rest.dropFirst()
            if digits() == 0 { return "a digit must follow the decimal point" }
        }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            if digits() == 0 { return "a digit must follow the exponent" }
        }
        return rest.isEmpty ? nil : "it is not in JSON's number form"
    }

    // MARK: Text

    /// Reads a string and returns its text; bad bytes and lone surrogates become U+FFFD.
    private mutating func scanString() throws(MalformedJSON) -> String {
        let start = index
        let firstProblem = problems.count
        index += 1
        var scalars = String.UnicodeScalarView()
        var seen: Set<String> = []
        while true {
            guard index < bytes.count else {
                index = start
                throw malformed("the text starting here has no closing quote")
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                // Problems were noted before the string's end was known: point them at all of it.
                for position in firstProblem..<problems.count { problems[position].token = start..<index }
                return String(scalars)
            case UInt8(ascii: "\\"):
                index += 1
                scanEscape(into: &scalars, seen: &seen)
            case 0x00..<0x20:
                let name = switch byte {
                case 0x0A: "line break (U+000A); JSON writes it as \\n"
                case 0x09: "tab (U+0009); JSON writes it as \\t"
                case 0x0D: "carriage return (U+000D); JSON writes it as \\r"
                default: "control character (U+00\(hex(byte, width: 2))); JSON writes it as \\u00" + hex(byte, width: 2)
                }
                note("has a raw " + name, kind: "control", seen: &seen)
                scalars.append(Unicode.Scalar(byte))
                index += 1
            case 0x20..<0x80:
                scalars.append(Unicode.Scalar(byte))
                index += 1
            default:
                if let (scalar, length) = decodeUTF8(at: index) {
                    scalars.append(scalar)
                    index += length
                } else {
                    note("has bytes that are not UTF-8 (0x\(hex(byte, width: 2)))", kind: "utf8", seen: &seen)
                    scalars.append("\u{FFFD}")
                    index += 1
                }
            }
        }
    }

    /// Records a problem of the string being read; one of each kind per string, so a megabyte of
    /// bad bytes is one problem, not a million. Its token is set when the string ends.
    private mutating func note(_ text: String, kind: String, seen: inout Set<String>) {
        if seen.insert(kind).inserted { problems.append(Problem(token: index..<index, text: text)) }
    }

    private static let simpleEscapes: [UInt8: Unicode.Scalar] = [
        UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/", UInt8(ascii: "b"): "\u{8}",
        UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "n"): "\n", UInt8(ascii: "r"): "\r", UInt8(ascii: "t"): "\t",
    ]

    /// Reads what follows a backslash.
    private mutating func scanEscape(into scalars: inout String.UnicodeScalarView, seen: inout Set<String>) {
        guard index < bytes.count else { return }
        let byte = bytes[index]
        if let scalar = Self.simpleEscapes[byte] {
            scalars.append(scalar)
            index += 1
            return
        }
        guard byte == UInt8(ascii: "u") else {
            // Leave the character after the backslash to be read as itself.
            let shown = byte < 0x80 ? String(UnicodeScalar(byte)) : "…"
            note("has an unknown escape (\\\(shown))", kind: "escape", seen: &seen)
            scalars.append("\u{FFFD}")
            return
        }
        guard let unit = hexUnit(at: index + 1) else {
            note("has a \\u escape without four hex digits", kind: "escape", seen: &seen)
            scalars.append("\u{FFFD}")
            index += 1
            return
        }
        index += 5
        let lone = "has a lone surrogate (\\u\(hex(unit, width: 4))), which is not a character"
        switch unit {
        case 0xD800...0xDBFF:
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
               let low = hexUnit(at: index + 2), (0xDC00...0xDFFF).contains(low) {
                index += 6
                scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
            } else {
                note(lone, kind: "surrogate", seen: &seen)
                scalars.append("\u{FFFD}")
            }
        case 0xDC00...0xDFFF:
            note(lone, kind: "surrogate", seen: &seen)
            scalars.append("\u{FFFD}")
        default:
            scalars.append(Unicode.Scalar(unit)!)
        }
    }

    private func hexUnit(at position: Int) -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[position..<position + 4] {
            guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A well-formed UTF-8 sequence at `position` (no overlong forms, surrogates or values past
    /// U+10FFFF) and its length; `nil` when the bytes there are not one.
    private func decodeUTF8(at position: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[position]
        let (length, secondRange): (Int, ClosedRange<UInt8>) = switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, 0x80...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        default: (0, 0...0)
        }
        guard length > 0, position + length <= bytes.count, secondRange.contains(bytes[position + 1]) else { return nil }
        var value = UInt32(lead) & (0xFF >> (length + 1))
        for offset in 1..<length {
            let byte = bytes[position + offset]
            guard offset == 1 || (0x80...0xBF).contains(byte) else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    // MARK: Helpers

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// What is at the current position, for a message.
    private var found: String {
        guard index < bytes.count else { return "the end of the input" }
        if bytes[index] < 0x80 { return "'\(Character(UnicodeScalar(bytes[index])))'" }
        if let (scalar, _) = decodeUTF8(at: index) { return "'\(Character(scalar))'" }
        return "the byte 0x\(hex(bytes[index], width: 2)), which is not UTF-8"
    }

    private func malformed(_ problem: String) -> MalformedJSON {
        let before = bytes[..<min(index, bytes.count)]
        let lineStart = (before.lastIndex(of: 0x0A) ?? -1) + 1
        let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        // Characters, not bytes: count every byte that does not continue a UTF-8 sequence.
        let column = bytes[lineStart..<before.endIndex].reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return MalformedJSON(line: line, column: column, problem: problem)
    }
}

private func hex<T: BinaryInteger>(_ value: T, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
