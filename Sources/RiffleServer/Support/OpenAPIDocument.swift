import Foundation
import Yams

/// The API's contract: Resources/openapi.yaml, kept in the sources as YAML for reading and served as
/// JSON at `/openapi.json` (and as it is at `/openapi.yaml`).
struct OpenAPIDocument: Sendable {
    let yaml: Data
    let json: Data

    static func load() throws -> OpenAPIDocument {
        // Looked up beside the executable rather than through Bundle.module, which stops the process when
        // the bundle is missing (a binary copied without it): this way the server says what is missing.
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: "/proc/self/exe")).resolvingSymlinksInPath().deletingLastPathComponent()
        let url = executable.appendingPathComponent("Riffle_RiffleServer.resources/openapi.yaml")
        guard let yaml = try? Data(contentsOf: url) else {
            throw ServerStartError("the OpenAPI document \(url.path) is missing: keep the Riffle_RiffleServer.resources folder beside riffle")
        }
        guard let object = try Yams.load(yaml: String(decoding: yaml, as: UTF8.self)) else {
            throw ServerStartError("the OpenAPI document is empty")
        }
        let json = try JSONSerialization.data(withJSONObject: jsonSafe(object), options: [.sortedKeys, .withoutEscapingSlashes])
        return OpenAPIDocument(yaml: yaml, json: json)
    }

    /// YAML's values as JSONSerialization takes them (its dictionaries may have non-string keys: the
    /// response codes, which JSON spells as strings).
    private static func jsonSafe(_ value: Any) -> Any {
        switch value {
        case let dictionary as [AnyHashable: Any]:
            var object: [String: Any] = [:]
            for (key, item) in dictionary { object["\(key)"] = jsonSafe(item) }
            return object
        case let list as [Any]:
            return list.map(jsonSafe)
        case is NSNull:
            return NSNull()
        default:
            return value
        }
    }
}
