// swift-tools-version:6.1
import PackageDescription

// Dependency direction (see ../shared/ARCHITECTURE.md):
//   riffle → {RiffleTUI → RiffleStudio} → RiffleApp → RiffleEngine → RiffleCore
//   engines (RiffleComposer) → {RiffleEngine, RiffleAudio}; RiffleApp → RiffleAudio (files, loudness, peaks)
// riffle is the only target that names a concrete engine: it registers them with RiffleApp.
// C libraries are reached only through the C* system-library modules, and only adapter modules
// (RiffleAudio, RiffleComposer, RiffleTUI's Terminal/) import them. RiffleCore and RiffleEngine import no C.

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
        // SHA-256 of downloaded model files, checked against the hub's LFS ids.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // `riffle serve`: the HTTP server, and the OpenAPI document (YAML in the sources, served as JSON).
        // Without its swift-configuration support, which Riffle does not use: one package less to build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // GET /metrics: Hummingbird's request metrics and the jobs', in Prometheus's text format.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // Uploaded audio (multipart/form-data) for continuation and the tutorial's melody route.
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        systemLibrary("CSndfile", pkgConfig: "sndfile", apt: "libsndfile1-dev"),
        systemLibrary("CSamplerate", pkgConfig: "samplerate", apt: "libsamplerate0-dev"),
        systemLibrary("CEbur128", pkgConfig: "libebur128", apt: "libebur128-dev"),
        systemLibrary("CALSA", pkgConfig: "alsa", apt: "libasound2-dev"),
        systemLibrary("CFluidSynth", pkgConfig: "fluidsynth", apt: "libfluidsynth-dev"),
        systemLibrary("CNcursesw", pkgConfig: "ncursesw", apt: "libncurses-dev"),
        systemLibrary("COpenBLAS", pkgConfig: "openblas", apt: "libopenblas-dev"),

        // One C function: glibc's mallopt, which Swift's Glibc module does not import.
        .target(name: "CMemoryPolicy"),

        .target(
            name: "RiffleCore",
            dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // The engine protocol and its value types: what every engine and every front end speaks.
        .target(name: "RiffleEngine", dependencies: ["RiffleCore"]),
        .target(
            name: "RiffleAudio",
            dependencies: ["RiffleCore", "RiffleEngine", "CSndfile", "CSamplerate", "CEbur128", "CALSA", "CMemoryPolicy"],
            swiftSettings: optimizedEvenInDebug
        ),
        .target(
            name: "RiffleComposer",
            dependencies: ["RiffleCore", "RiffleEngine", "RiffleAudio", "CFluidSynth", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: optimizedEvenInDebug
        ),
        // engine: MusicGen in Swift (checkpoints, T5, the decoder LM, EnCodec, generation), over OpenBLAS and its own
        // kernels.
        // libsentencepiece has a C++ API only: a few extern "C" functions in a C++ target wrap it.
        .target(name: "CSentencePiece", linkerSettings: [.linkedLibrary("sentencepiece")]),
        // MusicGen's matrix-vector kernels in fp32, fp16 and int8 (AVX-512 chosen at run time, portable C otherwise).
        .target(name: "CMusicGenKernels", linkerSettings: [.linkedLibrary("m")]),
        .target(name: "RiffleMusicGen", dependencies: ["RiffleCore", "RiffleEngine", "RiffleAudio", "CSentencePiece", "COpenBLAS", "CMusicGenKernels"]),
        // What riffle-bench compares those kernels with: OpenBLAS and oneDNN (Debian's libdnnl-dev, which has no
        // pkg-config file). Only the benchmark links it.
        .target(name: "CMusicGenBench", dependencies: ["COpenBLAS"], linkerSettings: [.linkedLibrary("dnnl"), .linkedLibrary("m")]),
        // The application core under every front end; it imports no concrete engine.
        .target(
            name: "RiffleApp",
            dependencies: [
                "RiffleCore", "RiffleEngine", "RiffleAudio", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // `riffle serve`: the HTTP API over the application core (Hummingbird 2); its contract is Resources/openapi.yaml.
        .target(
            name: "RiffleServer",
            dependencies: [
                "RiffleCore", "RiffleEngine", "RiffleAudio", "RiffleApp",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources/openapi.yaml")]
        ),
        // The studio's state, actions, pure reducer, effects and the effect runner (no ncurses).
        .target(name: "RiffleStudio", dependencies: ["RiffleCore", "RiffleEngine", "RiffleAudio", "RiffleApp"]),
        // Rendering and the ncurses backend (only Terminal/ imports it), and the studio's main loop.
        .target(name: "RiffleTUI", dependencies: ["RiffleStudio", "RiffleCore", "RiffleAudio", "CNcursesw", .product(name: "TOMLKit", package: "TOMLKit")]),
        .executableTarget(
            name: "riffle",
            dependencies: [
                "RiffleCore", "RiffleEngine", "RiffleAudio", "RiffleComposer", "RiffleMusicGen", "RiffleApp", "RiffleStudio", "RiffleTUI", "RiffleServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "riffle-bench",
            // RiffleTestSupport: starting the studio's tmux the way the end-to-end test does.
            dependencies: ["RiffleCore", "RiffleEngine", "RiffleAudio", "RiffleComposer", "RiffleApp", "RiffleStudio", "RiffleTUI", "RiffleTestSupport",
                           "RiffleMusicGen", "CMusicGenKernels", "CMusicGenBench"]
        ),

        // Helpers the test targets share: temporary directories, running programs, test signals.
        .target(name: "RiffleTestSupport", dependencies: ["RiffleAudio", "RiffleEngine", "RiffleStudio"], path: "Tests/RiffleTestSupport"),
        .testTarget(name: "RiffleCoreTests", dependencies: ["RiffleCore"]),
        .testTarget(name: "RiffleComposerTests", dependencies: ["RiffleComposer", "RiffleEngine", "RiffleCore", "RiffleTestSupport"]),
        .testTarget(name: "RiffleAppTests", dependencies: ["RiffleApp", "RiffleEngine", "RiffleCore", "RiffleAudio", "RiffleTestSupport"]),
        .testTarget(name: "RiffleStudioTests", dependencies: ["RiffleStudio", "RiffleApp", "RiffleEngine", "RiffleCore", "RiffleAudio", "RiffleTestSupport"]),
        // Snapshots/ holds the screens the view tests compare against, read by path (see StudioViewTests).
        .testTarget(name: "RiffleTUITests", dependencies: ["RiffleTUI", "RiffleStudio", "RiffleCore", "RiffleAudio", "RiffleTestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "RiffleMusicGenTests", dependencies: ["RiffleMusicGen", "RiffleTestSupport"]),
        .testTarget(name: "RiffleAudioTests", dependencies: ["RiffleAudio", "RiffleEngine", "RiffleCore", "RiffleTestSupport"]),
        // Runs the built `riffle` binary; depending on it makes SwiftPM build it first.
        // Runs `riffle serve` and calls it over real HTTP on 127.0.0.1.
        .testTarget(name: "RiffleServerTests", dependencies: ["riffle", "RiffleApp", "RiffleTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "RiffleCLITests", dependencies: ["riffle", "RiffleAudio", "RiffleApp", "RiffleTestSupport"]),
    ]
)

/// The audio libraries' vector loops (the true-peak interpolator, the stem filters) run each SIMD
/// operation as a function call when unoptimized: a 20 s take took 15 s to make in a debug build,
/// and the tests that run the debug `riffle` waited on it. Optimized, they stay testable
/// (`-enable-testing` comes with the debug configuration).
var optimizedEvenInDebug: [SwiftSetting] { [.unsafeFlags(["-O"], .when(configuration: .debug))] }
