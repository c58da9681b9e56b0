import Foundation
import RiffleCore
import Testing

@Suite("Genre presets load from TOML, built-in and the user's own")
struct PresetCatalogTests {
    static let requiredGenres = ["modern-pop", "rock", "hip-hop", "jazz", "classical", "electronic", "country", "folk",
                                 "blues", "reggae", "latin", "rnb", "metal", "lo-fi", "ambient", "techno", "house",
                                 "drum-and-bass", "trap", "cinematic", "reggaeton", "disco", "funk", "synthwave",
                                 "bossa-nova", "salsa", "cumbia", "afrobeat", "dubstep", "trance", "soul", "punk"]

    @Test("every built-in preset loads, and the 32 genres are there")
    func builtIns() throws {
        let catalog = PresetCatalog(directories: [try #require(PresetCatalog.builtInDirectory(environment: [:]))])
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        #expect(Set(catalog.presets.map(\.name)) == Set(Self.requiredGenres))
        for preset in catalog.presets {
            #expect(preset.problems().isEmpty, "\(preset.name): \(preset.problems())")
        }
        let dnb = try #require(catalog.preset(named: "DnB"))
        #expect(dnb.tempo.default == 174)
        #expect(catalog.preset(named: "R&B")?.title == "R&B")
    }

    @Test("no two presets claim the same spelling")
    func aliasesAreUnique() throws {
        let catalog = PresetCatalog(directories: [try #require(PresetCatalog.builtInDirectory(environment: [:]))])
        #expect(catalog.genreNames.conflicts.isEmpty, "\(catalog.genreNames.conflicts)")
    }

    @Test("an alias two presets claim stays with the first and is reported")
    func aliasConflict() {
        let names = GenreNames([("house", ["club"]), ("techno", ["Club", "-"])])
        #expect(names.resolve("club") == "house")
        #expect(names.conflicts == ["\"Club\" names both house and techno: it stays with house"])
        #expect(names.resolve("-") == nil, "punctuation alone names no genre")
    }

    @Test("a preset's own name beats another preset's alias")
    func nameBeatsAlias() {
        // The built-in electronic preset lists "synthwave" as an alias; a user preset is called that.
        let names = GenreNames([("electronic", ["edm", "synthwave"]), ("synthwave", ["outrun"])])
        #expect(names.resolve("synthwave") == "synthwave")
        #expect(names.resolve("edm") == "electronic")
        #expect(names.conflicts == ["\"synthwave\" names both synthwave and electronic: it stays with synthwave"])
    }

    @Test("a user preset is added, one with a built-in's name replaces it, and a broken file is skipped and reported")
    func userPresets() throws {
        let user = FileManager.default.temporaryDirectory.appendingPathComponent("riffle-presets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: user) }
        try """
        name = "vaporwave"
        title = "Vaporwave"
        aliases = ["mallsoft", "vapor"]
        description = "Gated drums and neon arpeggios."
        time_signatures = ["4/4"]
        modes = ["minor"]
        guidance_scale = 3.0

        [tempo]
        min = 80
        max = 118
        default = 100
        """.write(to: user.appendingPathComponent("vaporwave.toml"), atomically: true, encoding: .utf8)
        try """
        name = "house"
        title = "My House"
        aliases = []
        description = "Slower, deeper."
        time_signatures = ["4/4"]
        modes = ["dorian"]
        guidance_scale = 2

        [tempo]
        min = 110
        max = 122
        default = 118
        """.write(to: user.appendingPathComponent("house.toml"), atomically: true, encoding: .utf8)
        try "name = \"broken\"\ntempo = [\n".write(to: user.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        try """
        name = "odd"
        title = "Odd"
        aliases = []
        description = "Tempo range upside down."
        time_signatures = ["9/8"]
        modes = ["minor"]
        guidance_scale = 3.0

        [tempo]
        min = 140
        max = 120
        default = 130
        """.write(to: user.appendingPathComponent("odd.toml"), atomically: true, encoding: .utf8)

        let builtIn = try #require(PresetCatalog.builtInDirectory(environment: [:]))
        let catalog = PresetCatalog(directories: [builtIn, user])

        #expect(catalog.preset(named: "mallsoft")?.name == "vaporwave")
        #expect(catalog.preset(named: "house")?.title == "My House")
        #expect(catalog.preset(named: "house")?.guidanceScale == 2, "an integer in TOML reads as a number")
        #expect(catalog.presets.count == Self.requiredGenres.count + 1)
        #expect(catalog.problems.count == 2)
        #expect(catalog.problems.contains { $0.contains("broken.toml") && $0.contains("line") }, "\(catalog.problems)")
        #expect(catalog.problems.contains { $0.contains("odd.toml") && $0.contains("9/8") }, "\(catalog.problems)")
    }

    @Test("the user directory follows XDG_CONFIG_HOME, else ~/.config")
    func userDirectory() {
        #expect(PresetCatalog.userDirectory(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/u"]).path == "/x/cfg/riffle/presets")
        #expect(PresetCatalog.userDirectory(environment: ["HOME": "/home/u"]).path == "/home/u/.config/riffle/presets")
    }
}
