// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "bytebit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bytebit", targets: ["bytebit"]),
        .executable(name: "collector", targets: ["collector"]),
        .executable(name: "kraken-sim", targets: ["kraken-sim"]),
        .executable(name: "live-feed", targets: ["live-feed"]),
        .executable(name: "loader", targets: ["loader"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // C: the libwebsockets shim (client and server). Only BytebitWebSocket imports it.
        .target(
            name: "CWebSockets",
            linkerSettings: [.linkedLibrary("websockets"), .linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        // C: the hiredis shim (Debian libhiredis 0.14: no TLS). Only BytebitRedis imports it.
        .target(name: "CHiredis", linkerSettings: [.linkedLibrary("hiredis")]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        // libpq (PostgreSQL's client library). Only BytebitLoader imports it, so only `loader` links it.
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Decisions and data: no sockets, no threads of its own.
        .target(
            name: "BytebitCore",
            dependencies: ["CZlib", "CYAML", .product(name: "Logging", package: "swift-log")]
        ),
        // Reading recorded files back: `bytebit view` and `bytebit list`. Only the tools link it, not `collector`.
        .target(name: "BytebitView", dependencies: ["BytebitCore", "CZlib"]),
        // The only module that imports libwebsockets.
        .target(
            name: "BytebitWebSocket",
            dependencies: ["CWebSockets", .product(name: "Logging", package: "swift-log")]
        ),
        // One market's run loop: socket + feed state machine + writer thread.
        .target(
            name: "BytebitCollector",
            dependencies: ["BytebitCore", "BytebitWebSocket", .product(name: "Logging", package: "swift-log")]
        ),
        // Publishing verified rows to Redis (SPEC §9): one connection per collector process.
        .target(
            name: "BytebitRedis",
            dependencies: ["BytebitCore", "CHiredis", .product(name: "Logging", package: "swift-log")]
        ),
        // The local Kraken v2 exchange used by tests, the demo and benchmarks.
        .target(
            name: "KrakenSim",
            dependencies: ["BytebitCore", "BytebitWebSocket", .product(name: "Logging", package: "swift-log")]
        ),
        // The live feed: its WebSocket server and web page (`live-feed`), and the collectors' uplink to it.
        .target(
            name: "BytebitLive",
            dependencies: ["BytebitCore", "BytebitWebSocket", .product(name: "Logging", package: "swift-log")],
            exclude: ["Page"]
        ),

        .executableTarget(
            name: "bytebit",
            dependencies: [
                "BytebitCore", "BytebitView", "BytebitLoaderStatus",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "collector",
            dependencies: [
                "BytebitCore", "BytebitCollector", "BytebitLive", "BytebitRedis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "live-feed",
            dependencies: [
                "BytebitCore", "BytebitLive", "BytebitCollector",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The PostgreSQL loader (SPEC §8): files -> COPY, exactly once, positions in the database.
        .target(
            name: "BytebitLoader",
            dependencies: [
                "BytebitCore", "BytebitView", "BytebitLoaderStatus", "CPostgres", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The loader's status file, read by `bytebit status` (which must not link libpq).
        .target(name: "BytebitLoaderStatus"),
        .executableTarget(
            name: "loader",
            dependencies: [
                "BytebitCore", "BytebitLoader",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kraken-sim",
            dependencies: [
                "KrakenSim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "bytebit-bench",
            dependencies: [
                "BytebitCore", "BytebitView", "BytebitWebSocket", "BytebitCollector", "KrakenSim",
                "BytebitLoader", "PostgresTestSupport", "BytebitRedis", "RedisTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(
            name: "BytebitCoreTests",
            dependencies: ["BytebitCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "BytebitViewTests", dependencies: ["BytebitView", "BytebitCore", "CZlib"]),
        .testTarget(name: "BytebitWebSocketTests", dependencies: ["BytebitWebSocket", "KrakenSim", "BytebitCore"]),
        // Scripted transport, memory sink and Kraken frame text for recorder tests (no socket).
        .target(
            name: "BytebitTestSupport",
            dependencies: ["BytebitCollector", "BytebitCore", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "BytebitCollectorTests",
            dependencies: [
                "BytebitCollector", "BytebitCore", "BytebitTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A throwaway redis-server on a free port and a subscriber, for the Redis tests.
        .target(name: "RedisTestSupport", dependencies: ["BytebitRedis", "BytebitCore"]),
        .testTarget(
            name: "BytebitRedisTests",
            dependencies: [
                "BytebitRedis", "BytebitCore", "BytebitCollector", "BytebitTestSupport", "RedisTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "KrakenSimTests", dependencies: ["KrakenSim", "BytebitCore"], exclude: ["Fixtures"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "BytebitCore", "KrakenSim", "BytebitWebSocket", "bytebit", "collector", "kraken-sim", "live-feed", "loader",
                "PostgresTestSupport", "RedisTestSupport",
            ]
        ),
        .testTarget(
            name: "LiveTests",
            dependencies: ["BytebitLive", "BytebitCore", "BytebitWebSocket", .product(name: "Logging", package: "swift-log")]
        ),
        // A throwaway PostgreSQL server (initdb + pg_ctl on a free port) for the loader's tests.
        .target(name: "PostgresTestSupport", dependencies: ["BytebitLoader"]),
        .testTarget(
            name: "LoaderTests",
            dependencies: [
                "BytebitLoader", "BytebitLoaderStatus", "BytebitCore", "PostgresTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
