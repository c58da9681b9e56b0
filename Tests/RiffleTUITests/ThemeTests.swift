import Foundation
import RiffleCore
@testable import RiffleTUI
import Testing

private final class Folder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-themes-\(UUID().uuidString)")
    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: url) }
    func write(_ name: String, _ text: String) throws { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
}

@Suite("Themes: built-in and user files, 256/16 colours, NO_COLOR")
struct ThemeTests {
    @Test("the three built-in themes load and colour every role")
    func builtIns() throws {
        let catalog = ThemeCatalog.standard(environment: ["HOME": "/nonexistent"])
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        #expect(catalog.themes.map(\.name) == ["dark", "high-contrast", "light"])
        for theme in catalog.themes { #expect(Set(theme.roles.keys) == Set(Style.Role.allCases), "\(theme.name)") }
    }

    @Test("on a 16-colour terminal a 256-colour index falls back to the role's basic colour")
    func fallback() throws {
        let dark = try #require(ThemeCatalog.standard(environment: ["HOME": "/nonexistent"]).theme(named: "dark"))
        #expect(dark.colors(for: .muted, terminalColors: 256).foreground == .indexed(244))
        #expect(dark.colors(for: .muted, terminalColors: 16).foreground == .indexed(8))
        #expect(dark.colors(for: .muted, terminalColors: 0).foreground == .terminalDefault)
    }

    @Test("NO_COLOR and colourless terminals get monochrome; otherwise the theme asked for, else dark")
    func choosing() {
        let catalog = ThemeCatalog.standard(environment: ["HOME": "/nonexistent"])
        #expect(catalog.choose("light", terminalColors: 256, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(catalog.choose("light", terminalColors: 2, environment: [:]) == .monochrome)
        #expect(catalog.choose("light", terminalColors: 256, environment: [:]).name == "light")
        #expect(catalog.choose("nope", terminalColors: 256, environment: [:]).name == "dark")
        #expect(catalog.choose(nil, terminalColors: 16, environment: [:]).name == "dark")
    }

    @Test("a user theme replaces a built-in of its name; a broken one is reported with file and reason")
    func userThemes() throws {
        let folder = try Folder()
        try folder.write("mine.toml", "name = \"dark\"\n[roles]\ntext = { fg = \"green\" }\n")
        try folder.write("bad-role.toml", "name = \"x\"\n[roles]\nsparkle = { fg = 1 }\n")
        try folder.write("bad-colour.toml", "name = \"y\"\n[roles]\ntext = { fg = \"mauve\" }\n")
        try folder.write("bad-toml.toml", "name = \n")
        let catalog = ThemeCatalog(directories: [try #require(DataDirectory.builtIn("Themes", override: "RIFFLE_THEMES_DIR", environment: [:])), folder.url])
        #expect(catalog.theme(named: "dark")?.roles[.text]?.foreground == .indexed(2))
        #expect(catalog.problems.count == 3)
        #expect(catalog.problems.contains { $0.contains("bad-role.toml") && $0.contains("roles.sparkle: not a role") })
        #expect(catalog.problems.contains { $0.contains("bad-colour.toml") && $0.contains("roles.text.fg") && $0.contains("not a colour") })
        #expect(catalog.problems.contains { $0.contains("bad-toml.toml") })
    }
}
