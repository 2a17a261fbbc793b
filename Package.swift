// swift-tools-version:6.0
// xueliang: the camera registry and health sweeps of a county's video network.
// No package dependencies: it must build on an air-gapped network from the toolchain alone.
import PackageDescription

let package = Package(
    name: "xueliang",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xueliang", targets: ["xueliang"]),
        .executable(name: "camera-fleet", targets: ["camera-fleet"]),
    ],
    targets: [
        // C interop: typed wrappers for libcurl's variadic functions. Only CurlTransport imports it.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // Linux calls Swift's Glibc module leaves out: epoll, eventfd, accept4, posix_spawn's closefrom. Header only.
        .systemLibrary(name: "CLinux"),
        // The language and time zone of human output: the message type, the one Chinese catalogue, local times.
        .target(name: "Localization"),
        // Villages, cameras, validation, Inventory/ storage, spreadsheet import and export. No networking.
        .target(name: "Registry", dependencies: ["POSIXLayer", "Localization", "Workbook"]),
        // zlib's raw DEFLATE for ZIP entries. Only Workbook/Zlib.swift imports it.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // .xlsx workbooks: a bounded ZIP reader and writer, the parts' XML, cells by type (dates from styles).
        .target(name: "Workbook", dependencies: ["Localization", "CZlib"]),
        // GB/T 28181 platform catalogs: a hand-written, bounded reader of MANSCDP Catalog responses and the diff with the registry.
        .target(name: "Catalog", dependencies: ["Localization", "Registry", "Workbook"]),
        // What a transfer and a check are, one prober per protocol, camera status, the sweep runner. No C.
        .target(name: "Probing", dependencies: ["Localization", "Registry", "PictureQuality"]),
        // The only importer of CCurl: one owned thread drives libcurl's multi handle with epoll.
        .target(name: "CurlTransport", dependencies: ["Probing", "CCurl", "CLinux"]),
        // The one layer over POSIX file calls: EINTR, write-all, the one lock type, durable appends, atomic
        // replaces with directory fsync, real errnos. Registry, StateStore, Monitoring and the CLI use it.
        .target(name: "POSIXLayer"),
        // Every file under the state directory: the sweeps kept (latest and history), each monitor's journal lines,
        // checksummed state file, outbox and lock, per-camera references. What a monitor's records hold is Monitoring's.
        .target(name: "StateStore", dependencies: ["Localization", "POSIXLayer", "Probing", "PictureQuality"]),
        // Monitor definitions (Monitors/*.json), per-camera state (debounce, flapping, frozen), what the journal
        // and state file hold, alerts, the watch loop.
        .target(name: "Monitoring", dependencies: ["Localization", "Registry", "Probing", "POSIXLayer", "StateStore", "CLinux", "PictureQuality"]),
        // Pure figures computed from the registry (and, later, sweep results).
        .target(name: "Coverage", dependencies: ["Localization", "Registry", "Probing"]),
        // What people and other systems read: text tables (wide-character aware), JSON documents, CSV, HTML,
        // Prometheus, the plugin line.
        .target(name: "Reports", dependencies: ["Localization", "Registry", "Probing", "Coverage", "Monitoring", "StateStore", "PictureQuality"]),
        // Argument parsing and one file per command.
        .target(name: "XueliangCLI", dependencies: ["Localization", "POSIXLayer", "Registry", "Catalog", "Probing", "CurlTransport", "Monitoring", "Coverage", "Reports", "StateStore", "PictureQuality"]),
        .executableTarget(name: "xueliang", dependencies: ["XueliangCLI"]),
        // JPEG entropy decoding to a DC picture (each 8x8 block's mean and AC energy) and the picture-quality
        // measures computed from it. Pure Swift, no dependency, so it can be fuzzed and benchmarked alone.
        .target(name: "PictureQuality"),
        // The camera simulator: many fake cameras on 127.0.0.0/8, for tests, the demo and benchmarks.
        .target(name: "CameraFleet", dependencies: ["Registry", "CLinux"]),
        .executableTarget(name: "camera-fleet", dependencies: ["CameraFleet"]),

        // City-scale benchmarks (not run by CI): `swift run -c release city-benchmark`.
        .executableTarget(name: "city-benchmark", dependencies: ["Registry", "Probing", "Monitoring", "PictureQuality"], path: "Benchmarks/city-benchmark"),
        // JPEG decoding throughput against djpeg: `Benchmarks/jpeg-benchmark.sh`.
        .executableTarget(name: "jpeg-benchmark", dependencies: ["PictureQuality"], path: "Benchmarks/jpeg-benchmark"),
        // The media check at scale and next to ffprobe: `Benchmarks/media-benchmark.sh`.
        .executableTarget(name: "media-benchmark", dependencies: ["Registry", "Probing", "CurlTransport"], path: "Benchmarks/media-benchmark"),

        .target(name: "TestSupport", dependencies: ["Registry"], path: "Tests/TestSupport"),
        .testTarget(name: "LocalizationTests", dependencies: ["Localization"]),
        .testTarget(name: "WorkbookTests", dependencies: ["Workbook", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "ProbingTests", dependencies: ["Probing", "Localization", "TestSupport"]),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "CameraFleet", "TestSupport"]),
        .testTarget(name: "MonitoringTests", dependencies: ["Monitoring", "StateStore", "PictureQuality", "Localization", "TestSupport"]),
        .testTarget(name: "StateStoreTests", dependencies: ["StateStore", "POSIXLayer", "PictureQuality", "TestSupport"]),
        .testTarget(name: "POSIXLayerTests", dependencies: ["POSIXLayer", "TestSupport"]),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Workbook", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "CoverageTests", dependencies: ["Coverage", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Localization", "PictureQuality", "TestSupport"]),
        .testTarget(name: "XueliangCLITests", dependencies: ["XueliangCLI", "CameraFleet", "TestSupport", "Workbook", "Localization", "PictureQuality"], exclude: ["Golden"]),
        .testTarget(name: "PictureQualityTests", dependencies: ["PictureQuality", "TestSupport"]),
        .testTarget(name: "CameraFleetTests", dependencies: ["CameraFleet", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
