// swift-tools-version:6.0
import PackageDescription

// Dependency direction (see ../shared/ARCHITECTURE.md):
//   riffle → {RiffleComposer →} RiffleAudio → RiffleCore
// C libraries are reached only through the C* system-library modules, and only adapter modules
// (RiffleAudio, RiffleComposer, RiffleTUI's Terminal/) import them. RiffleCore imports no C.

/// A C library found through pkg-config, with the Debian package that provides it.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "Riffle",
    products: [
        .executable(name: "riffle", targets: ["riffle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        systemLibrary("CSndfile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
        systemLibrary("CSamplerate", pkgConfig: "samplerate", apt: "libsamplerate0-dev"),
        systemLibrary("CEbur128", pkgConfig: "libebur128", apt: "libebur128-dev"),
        systemLibrary("CALSA", pkgConfig: "alsa", apt: "libasound2-dev"),
        systemLibrary("CFluidSynth", pkgConfig: "fluidsynth", apt: "libfluidsynth-dev"),
        systemLibrary("CNcursesw", pkgConfig: "ncursesw", apt: "libncurses-dev"),

        // One C function: glibc's mallopt, which Swift's Glibc module does not import.
        .target(name: "CMemoryPolicy"),

        .target(
            name: "RiffleCore",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "RiffleComposer",
            dependencies: ["RiffleCore", "RiffleAudio", "CFluidSynth", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(
            name: "RiffleAudio",
            dependencies: ["RiffleCore", "CSndfile", "CSamplerate", "CEbur128", "CALSA", "CMemoryPolicy"]
        ),
        // The studio's model, pure reducer and rendering, and the ncurses backend (only Terminal/ imports it).
        .target(name: "RiffleTUI", dependencies: ["RiffleCore", "RiffleAudio", "CNcursesw", .product(name: "TOMLKit", package: "TOMLKit")]),
        .target(
            name: "RiffleLibrary",
            dependencies: ["RiffleCore", "RiffleAudio", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "riffle",
            dependencies: [
                "RiffleCore", "RiffleAudio", "RiffleComposer", "RiffleLibrary", "RiffleTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "riffle-bench",
            // RiffleTestSupport: starting the studio's tmux the way the end-to-end test does.
            dependencies: ["RiffleCore", "RiffleAudio", "RiffleComposer", "RiffleTUI", "RiffleTestSupport"]
        ),

        // Helpers the test targets share: temporary directories, running programs, test signals.
        .target(name: "RiffleTestSupport", dependencies: ["RiffleAudio"], path: "Tests/RiffleTestSupport"),
        .testTarget(name: "RiffleCoreTests", dependencies: ["RiffleCore"]),
        .testTarget(name: "RiffleComposerTests", dependencies: ["RiffleComposer", "RiffleCore", "RiffleTestSupport"]),
        // Snapshots/ holds the screens the view tests compare against, read by path (see StudioViewTests).
        .testTarget(name: "RiffleTUITests", dependencies: ["RiffleTUI", "RiffleCore", "RiffleAudio"], exclude: ["Snapshots"]),
        .testTarget(name: "RiffleLibraryTests", dependencies: ["RiffleLibrary", "RiffleCore", "RiffleAudio", "RiffleTestSupport"]),
        .testTarget(name: "RiffleAudioTests", dependencies: ["RiffleAudio", "RiffleCore", "RiffleTestSupport"]),
        // Runs the built `riffle` binary; depending on it makes SwiftPM build it first.
        .testTarget(name: "RiffleCLITests", dependencies: ["riffle", "RiffleAudio", "RiffleLibrary", "RiffleTestSupport"]),
    ]
)
