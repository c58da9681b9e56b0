import Foundation
import RiffleCore
import TOMLKit

/// Every theme: the built-in ones from Themes/ and the user's own from the config directory.
///
/// A user theme with the name of a built-in one replaces it. A file that does not parse, names a
/// role or colour that does not exist, is skipped and reported in ``problems`` (file and reason).
public struct ThemeCatalog: Sendable {
    public let themes: [Theme]
    public let problems: [String]

    public init(directories: [URL]) {
        var byName: [String: Theme] = [:]
        var problems: [String] = []
        for file in DataDirectory.tomlFiles(in: directories) {
            do {
                let theme = try Self.load(file)
                byName[theme.name] = theme
            } catch {
                problems.append("\(file.path): \(error)")
            }
        }
        themes = byName.values.sorted { $0.name < $1.name }
        self.problems = problems
    }

    /// The built-in themes (RIFFLE_THEMES_DIR, else the installed or checked-out Themes/) and the
    /// user's, from `$XDG_CONFIG_HOME/riffle/themes`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeCatalog {
        ThemeCatalog(directories: [DataDirectory.builtIn("Themes", override: "RIFFLE_THEMES_DIR", environment: environment),
                                   ConfigDirectory.url(environment: environment).appendingPathComponent("themes")].compactMap { $0 })
    }

    public func theme(named name: String) -> Theme? {
        themes.first { $0.name == name.lowercased() }
    }

    /// The theme to draw with: monochrome when NO_COLOR is set (https://no-color.org) or the
    /// terminal has no colours; else `requested`, else "dark".
    public func choose(_ requested: String?, terminalColors: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        if terminalColors < 8 { return .monochrome }
        return requested.flatMap(theme(named:)) ?? theme(named: "dark") ?? .monochrome
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ file: URL) throws -> Theme {
        let text = try String(contentsOf: file, encoding: .utf8)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch {
            throw Problem(description: "\(error)")
        }
        guard let name = table["name"]?.string, !name.isEmpty else { throw Problem(description: "missing field \"name\"") }
        var roles: [Style.Role: Theme.RoleColors] = [:]
        for (key, value) in table["roles"]?.table ?? TOMLTable() {
            guard let role = Style.Role.allCases.first(where: { $0.rawValue == key }) else {
                let known = Style.Role.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(description: "roles.\(key): not a role (roles: \(known))")
            }
            guard let spec = value.table else { throw Problem(description: "roles.\(key): expected a table such as { fg = \"cyan\" }") }
            func color(_ field: String) throws -> Theme.Color? {
                guard let value = spec[field] else { return nil }
                if let index = value.int, (0...255).contains(index) { return .indexed(index) }
                if let text = value.string {
                    if text == "default" { return .terminalDefault }
                    if let index = Theme.Color.names[text] { return .indexed(index) }
                }
                throw Problem(description: "roles.\(key).\(field): \(value) is not a colour (a name such as \"cyan\" or \"bright-black\", \"default\", or 0 to 255)")
            }
            roles[role] = Theme.RoleColors(foreground: try color("fg") ?? .terminalDefault, background: try color("bg") ?? .terminalDefault,
                                           foreground16: try color("fg16"), bold: spec["bold"]?.bool ?? false)
        }
        return Theme(name: name.lowercased(), description: table["description"]?.string ?? "", roles: roles)
    }
}
