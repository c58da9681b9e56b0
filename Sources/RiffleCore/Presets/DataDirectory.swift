import Foundation

/// Where Riffle finds the data it ships beside its code (Presets/, Themes/).
public enum DataDirectory {
    /// The built-in folder `name`, found in this order: the environment variable `override`;
    /// `share/riffle/NAME` beside the executable's `bin` (an installed Riffle); the checkout this
    /// binary was built from.
    ///
    /// Not a SwiftPM resource: these folders live at the top of the repository, where users look
    /// for them, and SwiftPM copies a symlinked resource as a dangling link.
    public static func builtIn(_ name: String, override: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let path = environment[override], !path.isEmpty { return URL(fileURLWithPath: path) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let installed = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/riffle/\(name)")
        // This file is Sources/RiffleCore/Presets/DataDirectory.swift: four levels below the checkout.
        var checkout = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { checkout.deleteLastPathComponent() }
        return [installed, checkout.appendingPathComponent(name)].first(where: isDirectory)
    }

    /// The `.toml` files of every directory in turn, each directory's in name order: later files
    /// (a user's) override earlier ones (the built-in) when the caller keys them by name. A missing
    /// directory has none.
    public static func tomlFiles(in directories: [URL]) -> [URL] {
        directories.flatMap { directory in
            ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "toml" }
                .sorted { $0.path < $1.path }
        }
    }

    static func isDirectory(_ url: URL) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
    }
}
