// swift-tools-version: 6.0
import PackageDescription

/// Release builds skip Swift's run-time exclusivity checks in the hot modules: they cost the
/// store's thread a check per access to a class's stored state. Debug builds (and so the
/// tests) keep them, so a violation is still caught there.
let releaseSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "contacts",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "contacts", targets: ["ContactsCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "SysXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "SysZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "SysSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CSHA256"),
        .target(name: "CZipCRC"),
        .target(name: "Tabular", dependencies: ["SysXML2", "SysZlib", "CZipCRC"], swiftSettings: releaseSettings),
        .target(name: "ContactModel", dependencies: ["Tabular"], swiftSettings: releaseSettings),
        .target(name: "ContactStore", dependencies: ["ContactModel", "Tabular", "SysSQLite3", "CSHA256"], swiftSettings: releaseSettings),
        .target(name: "Pipeline", dependencies: ["Tabular", "ContactModel", "ContactStore", "CSHA256"], swiftSettings: releaseSettings),
        .executableTarget(
            name: "ContactsCLI",
            dependencies: ["Pipeline", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "ContactsBench",
            dependencies: ["Tabular", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            exclude: ["peers"]
        ),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"], exclude: ["Fixtures"]),
        .testTarget(name: "ContactModelTests", dependencies: ["ContactModel"]),
        .testTarget(name: "ContactStoreTests", dependencies: ["ContactStore"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline"]),
        .testTarget(name: "EndToEndTests", dependencies: ["ContactsCLI", "ContactStore"], exclude: ["Fixtures"]),
    ]
)
