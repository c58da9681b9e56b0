// The JSON header of a safetensors file, parsed by hand: Foundation's JSONSerialization keeps one of two
// duplicate keys silently, and a header naming a tensor twice must be refused, so the parser keeps every key.

/// A JSON value as the header needs it: numbers keep their text so integers are read exactly.
enum JSONValue {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null
}

/// A minimal RFC 8259 parser over UTF-8 bytes.
struct JSONParser {
    struct Failure: Error { let message: String }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    private func failure(_ message: String) -> Failure { Failure(message: "\(message) at byte \(index)") }

    private mutating func skipSpace() {
        // Trailing spaces pad real headers to 8 bytes; NULs are not JSON, but treat only spaces/tabs/newlines.
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Failure) {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else {
            throw failure("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    private mutating func value(depth: Int) throws(Failure) -> JSONValue {
        guard depth < 64 else { throw failure("nested too deeply") }
        skipSpace()
        guard index < bytes.count else { throw failure("unexpected end of the header") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(String, JSONValue)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string()
                try expect(UInt8(ascii: ":"))
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of the header") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                elements.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw failure("unexpected end of the header") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw failure("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard Double(text) != nil else { throw failure("malformed number \(text)") }
            return .number(text)
        default:
            for (word, result) in [("true", JSONValue.bool(true)), ("false", .bool(false)), ("null", .null)] {
                let utf8 = Array(word.utf8)
                if index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 {
                    index += utf8.count
                    return result
                }
            }
            throw failure("unexpected character")
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1  // the opening quote
        var scalars: [UInt8] = []
        while true {
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: scalars, as: UTF8.self) else { throw failure("invalid UTF-8 in a string") }
                return text
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw failure("unterminated string") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw failure("unpaired surrogate")
                        }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw failure("invalid escape")
                }
            case 0..<0x20: throw failure("control character in a string")
            default: scalars.append(byte)
            }
        }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = UInt32(String(UnicodeScalar(bytes[index])), radix: 16) else { throw failure("invalid \\u escape") }
            code = code * 16 + digit
            index += 1
        }
        return code
    }
}

/// A checked header: every tensor's dtype, shape and byte range, and the free-form metadata.
struct SafeTensorsHeader {
    struct Entry {
        let dtype: TensorDType
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    struct Problem: Error { let message: String }

    let entries: [String: Entry]
    let metadata: [String: String]

    init(json: UnsafeRawBufferPointer, dataLength: Int) throws(Problem) {
        let root: JSONValue
        do { root = try JSONParser.parse(json) } catch { throw Problem(message: "the header is not valid JSON: \(error.message)") }
        guard case .object(let members) = root else { throw Problem(message: "the header is not a JSON object") }
        var entries: [String: Entry] = [:]
        var metadata: [String: String]?
        for (name, value) in members {
            if name == "__metadata__" {
                guard metadata == nil else { throw Problem(message: "the header has __metadata__ twice") }
                guard case .object(let pairs) = value else { throw Problem(message: "__metadata__ is not an object") }
                var strings: [String: String] = [:]
                for (key, item) in pairs {
                    guard case .string(let text) = item else { throw Problem(message: "__metadata__[\(key)] is not a string") }
                    strings[key] = text
                }
                metadata = strings
                continue
            }
            guard entries[name] == nil else { throw Problem(message: "tensor \(name) appears twice in the header") }
            entries[name] = try Self.entry(name, value, dataLength: dataLength)
        }
        // No two tensors may share bytes (empty tensors take none).
        let ranges = entries.filter { $0.value.end > $0.value.begin }.sorted { ($0.value.begin, $0.key) < ($1.value.begin, $1.key) }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.value.begin < previous.value.end {
            throw Problem(message: "tensors \(previous.key) [\(previous.value.begin), \(previous.value.end)) and \(next.key) [\(next.value.begin), \(next.value.end)) overlap")
        }
        self.entries = entries
        self.metadata = metadata ?? [:]
    }

    private static func entry(_ name: String, _ value: JSONValue, dataLength: Int) throws(Problem) -> Entry {
        guard case .object(let fields) = value else { throw Problem(message: "tensor \(name) is not described by an object") }
        func field(_ key: String) throws(Problem) -> JSONValue {
            guard let found = fields.first(where: { $0.0 == key }) else { throw Problem(message: "tensor \(name) has no \(key)") }
            return found.1
        }
        func integers(_ key: String) throws(Problem) -> [Int] {
            guard case .array(let items) = try field(key) else { throw Problem(message: "tensor \(name): \(key) is not an array") }
            var result: [Int] = []
            for item in items {
                guard case .number(let text) = item, let number = Int(text), number >= 0 else {
                    throw Problem(message: "tensor \(name): \(key) holds something other than a non-negative integer")
                }
                result.append(number)
            }
            return result
        }
        guard case .string(let dtypeName) = try field("dtype") else { throw Problem(message: "tensor \(name): dtype is not a string") }
        guard let dtype = TensorDType(rawValue: dtypeName) else {
            throw Problem(message: "tensor \(name) has unknown dtype \(dtypeName) (known: \(TensorDType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let shape = try integers("shape")
        let offsets = try integers("data_offsets")
        guard offsets.count == 2 else { throw Problem(message: "tensor \(name): data_offsets has \(offsets.count) numbers, not 2") }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end else { throw Problem(message: "tensor \(name) begins at \(begin), after its end \(end)") }
        guard end <= dataLength else {
            throw Problem(message: "tensor \(name) ends at byte \(end) of the data, past its end (\(dataLength) bytes): truncated or lying header")
        }
        var expected = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw Problem(message: "tensor \(name): shape \(shape) is absurdly large") }
            expected = product
        }
        guard end - begin == expected else {
            throw Problem(message: "tensor \(name) has \(end - begin) bytes but shape \(shape) of \(dtype.rawValue) needs \(expected)")
        }
        return Entry(dtype: dtype, shape: shape, begin: begin, end: end)
    }
}
