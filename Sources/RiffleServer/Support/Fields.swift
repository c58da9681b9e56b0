import Foundation

/// Typed reads of a JSON object's fields, each failure a 400 naming the field and what it allows.
struct Fields {
    let values: [String: Any]
    /// The fields a route knows; any other is refused, so a misspelt one is not silently ignored.
    init(_ values: [String: Any], allowed: Set<String>) throws {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badRequest("\(unknown): is not a field of this request (allowed: \(allowed.sorted().joined(separator: ", ")))",
                                      field: unknown)
        }
        self.values = values
    }

    func number(_ name: String, allowed: String) throws -> Double? {
        guard let value = values[name], !(value is NSNull) else { return nil }
        if !isJSONBoolean(value), let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String, let number = Double(text) { return number }
        throw APIError.badRequest("\(name): \(value) is not a number (allowed: \(allowed))", field: name)
    }

    func requiredNumber(_ name: String, allowed: String) throws -> Double {
        guard let value = try number(name, allowed: allowed) else {
            throw APIError.badRequest("\(name): is required (allowed: \(allowed))", field: name)
        }
        return value
    }

    func string(_ name: String, allowed: String) throws -> String? {
        guard let value = values[name], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw APIError.badRequest("\(name): \(value) is not text (allowed: \(allowed))", field: name) }
        return text
    }

    /// A seed: 0 or more, or -1 (or absent) for a random one.
    func seed() throws -> Int64? {
        guard let value = try number("seed", allowed: "0 to \(Int64.max), or -1 for a random seed") else { return nil }
        guard value == value.rounded(), value >= -1, value < 9.2e18 else {
            throw APIError.badRequest("seed: \(value) is out of range (allowed: 0 to \(Int64.max), or -1 for a random seed)", field: "seed")
        }
        return value == -1 ? nil : Int64(value)
    }
}

/// Whether a value JSONSerialization read is `true` or `false`. Its numbers are NSNumbers, which `is Bool`
/// also matches (1 and 0 bridge); its booleans are a subclass of NSNumber, or Swift Bools.
func isJSONBoolean(_ value: Any) -> Bool {
    value is Bool && type(of: value) != NSNumber.self
}
