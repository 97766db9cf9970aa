// swift-tools-version:6.0
import PackageDescription

// scripts/build-release.sh links a static executable and sets NSLAB_STATIC_PIE, so that nslab is linked static-pie:
// position independent, its image placed at a random address at each start (it runs as root and parses bytes other
// processes write). Without it (a plain `swift build`, the tests' debug build) it links as the toolchain does.
let staticPIELink: [LinkerSetting] =
    Context.environment["NSLAB_STATIC_PIE"] == nil ? [] : [.unsafeFlags(["-Xclang-linker", "-static-pie"])]

let package = Package(
    name: "nslab",
    products: [
        .executable(name: "nslab", targets: ["nslab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        // C: everything between clone() and execve(), pty allocation, namespace ioctls.
        .target(
            name: "CNamespaces",
            cSettings: [.define("_GNU_SOURCE")]
        ),
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "CVTerm",
            pkgConfig: "vterm",
            providers: [.apt(["libvterm-dev"])]
        ),
        // C: the input guard in front of libvterm (workarounds for its parser, shell prompt marks taken out).
        .target(name: "CVTermGuard", dependencies: ["CVTerm"]),
        // C++: theme files parsed by toml++ (Debian's libtomlplusplus-dev, header-only), behind a C interface.
        .target(name: "CThemeTOML"),
        // libnl-3 and libnl-route-3 (Debian's libnl-route-3-dev, which ships the static libraries the release
        // build links), for the network map's rtnetlink messages.
        .systemLibrary(
            name: "CLibnl",
            pkgConfig: "libnl-route-3.0",
            providers: [.apt(["libnl-route-3-dev"])]
        ),
        // C: one network namespace read with libnl-route-3 over a socket opened inside it, into plain structs.
        .target(name: "CRouteNetlink", dependencies: ["CLibnl"], cSettings: [.define("_GNU_SOURCE")]),
        .target(name: "NamespaceKit", dependencies: ["CNamespaces", "CRouteNetlink"]),
        .target(name: "TerminalKit", dependencies: ["CVTerm", "CVTermGuard"]),
        .target(
            name: "Dashboard",
            dependencies: ["NamespaceKit", "TerminalKit", "CNcurses", "CThemeTOML"],
            // ncursesw's pkg-config entry names only -lncursesw; a static link (scripts/build-release.sh)
            // also needs the terminfo library it was split from.
            linkerSettings: [.linkedLibrary("tinfo")]
        ),
        // The command line, in a library so that the tests can reach its parsers and option tables.
        .target(
            name: "NslabCLI",
            dependencies: [
                "NamespaceKit",
                "Dashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "nslab", dependencies: ["NslabCLI"], linkerSettings: staticPIELink),
        // Helpers shared by the test targets: starting programs (tmux, nslab itself) with a clean signal mask.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "NamespaceKitTests", dependencies: ["NamespaceKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "TestSupport"]),
        .testTarget(
            name: "DashboardTests", dependencies: ["Dashboard", "TestSupport"], exclude: ["Snapshots"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "nslabTests", dependencies: ["nslab", "NslabCLI", "NamespaceKit", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
