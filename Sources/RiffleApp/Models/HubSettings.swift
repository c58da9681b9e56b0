import Foundation

/// Where the Hugging Face hub is and who asks: `HF_ENDPOINT` (default https://huggingface.co) and `HF_TOKEN`,
/// as huggingface_hub reads them.
public struct HubSettings: Sendable, Equatable {
    /// The hub's address, without a trailing slash.
    public var endpoint: URL
    /// Sent as `Authorization: Bearer TOKEN` to the hub (never to the CDN it redirects files to).
    public var token: String?

    public static let defaultEndpoint = URL(string: "https://huggingface.co")!

    /// An endpoint and a token; the endpoint must be an http or https URL with a host.
    public init(endpoint: URL = HubSettings.defaultEndpoint, token: String? = nil) throws {
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https", endpoint.host?.isEmpty == false else {
            throw AppError(.badInput, "HF_ENDPOINT \"\(endpoint.absoluteString)\" is not an http or https URL (e.g. https://huggingface.co)")
        }
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        self.endpoint = URL(string: text) ?? endpoint
        self.token = token.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// The settings `environment` gives: HF_ENDPOINT and HF_TOKEN, empty values counting as unset.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> HubSettings {
        var endpoint = defaultEndpoint
        if let text = environment["HF_ENDPOINT"], !text.isEmpty {
            guard let url = URL(string: text) else { throw AppError(.badInput, "HF_ENDPOINT \"\(text)\" is not a URL") }
            endpoint = url
        }
        return try HubSettings(endpoint: endpoint, token: environment["HF_TOKEN"])
    }
}

/// A model repository's id on the hub, "owner/name" (or a bare legacy "name"), checked as the hub checks it.
public struct HubRepoID: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// Checks `text`: one or two parts of letters, digits, "-", "_" and ".", each at most 96 long, not
    /// starting or ending with "-" or ".", with no "--" or "..".
    public init(_ text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        let valid = (1...2).contains(parts.count) && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 96 && part.allSatisfy(allowed.contains)
                && !part.hasPrefix("-") && !part.hasPrefix(".") && !part.hasSuffix("-") && !part.hasSuffix(".")
                && !part.contains("--") && !part.contains("..")
        }
        guard valid else {
            throw AppError(.badInput, "\"\(text)\" is not a Hugging Face model id (allowed: owner/name, e.g. facebook/musicgen-small)")
        }
        self.text = text
    }

    public var description: String { text }

    /// The part after the owner: "musicgen-small" for "facebook/musicgen-small".
    public var name: String { String(text.split(separator: "/").last ?? Substring(text)) }
}

/// The hub's URLs, as huggingface_hub builds them (`hf_hub_url`, `HfApi.list_repo_tree`, `HfApi.model_info`).
struct HubURLs {
    let endpoint: URL
    let repo: HubRepoID

    /// `{endpoint}/api/models/{repo}/revision/{revision}`: the model's info, with the commit `sha` the revision is at.
    func revision(_ revision: String) -> URL {
        URL(string: "\(endpoint.absoluteString)/api/models/\(repo.text)/revision/\(Self.encode(revision))")!
    }

    /// `{endpoint}/api/models/{repo}/tree/{revision}`: the files at the top of the repository.
    func tree(_ revision: String) -> URL {
        URL(string: "\(endpoint.absoluteString)/api/models/\(repo.text)/tree/\(Self.encode(revision))")!
    }

    /// `{endpoint}/{repo}/resolve/{revision}/{path}`: a file's bytes (or a redirect to them).
    func resolve(_ revision: String, _ path: String) -> URL {
        let file = path.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/")
        return URL(string: "\(endpoint.absoluteString)/\(repo.text)/resolve/\(Self.encode(revision))/\(file)")!
    }

    /// Percent-encodes everything but unreserved characters (a revision like "refs/pr/1" becomes one segment).
    static func encode(_ segment: String) -> String {
        var unreserved = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        unreserved.insert(charactersIn: "-._~")
        return segment.addingPercentEncoding(withAllowedCharacters: unreserved) ?? segment
    }
}
