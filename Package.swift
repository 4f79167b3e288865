// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "BaySearch",
    products: [
        .library(name: "BaySearch", targets: ["BaySearch"]),
        .executable(name: "baysearch", targets: ["baysearch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // ICU is reached only through this C target: the system ICU headers clash with the
        // copy of ICU that Foundation ships, so no Swift module may see them.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc")]
        ),
        // LZ4 for the document store.
        .target(name: "CCompression", linkerSettings: [.linkedLibrary("lz4")]),
        // CRC-32C for the index's block checksums, XXH64 for document content hashes.
        .target(name: "CChecksum"),
        // The CPU's prefetch hint, for loops that look up terms at random.
        .target(name: "CPrefetch"),
        .target(name: "BaySearch", dependencies: ["CICU", "CCompression", "CChecksum", "CPrefetch"]),
        .executableTarget(
            name: "baysearch",
            dependencies: [
                "BaySearch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets; without -DBAYSEARCH_FUZZING, a replayer of saved inputs. Built
        // and run by Tests/Fuzz/run.sh.
        .executableTarget(name: "baysearch-fuzz", dependencies: ["BaySearch"]),
        .testTarget(name: "BaySearchTests", dependencies: ["BaySearch", "CICU", "CChecksum"]),
    ]
)
