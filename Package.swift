// swift-tools-version:6.0
import PackageDescription

// scripts/build-release.sh links static executables and sets NSLAB_STATIC_PIE, so that nslab-aslr is linked
// static-pie (position independent, randomised at each start) while nslab stays at a fixed address. Without it (a
// plain `swift build`, the tests' debug build) both link as the toolchain does by default.
let randomisedLink: [LinkerSetting] =
    Context.environment["NSLAB_STATIC_PIE"] == nil ? [] : [.unsafeFlags(["-Xclang-linker", "-static-pie"])]

let package = Package(
    name: "nslab",
    products: [
        .executable(name: "nslab", targets: ["nslab"]),
        .executable(name: "nslab-aslr", targets: ["nslab-aslr"]),
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
        .target(name: "NamespaceKit", dependencies: ["CNamespaces"]),
        .target(name: "TerminalKit", dependencies: ["CVTerm", "CVTermGuard"]),
        .target(
            name: "Dashboard",
            dependencies: ["NamespaceKit", "TerminalKit", "CNcurses", "CThemeTOML"],
            // ncursesw's pkg-config entry names only -lncursesw; a static link (scripts/build-release.sh)
            // also needs the terminfo library it was split from.
            linkerSettings: [.linkedLibrary("tinfo")]
        ),
        // The command line, in a library so that two executables can link it in two ways (Randomised.swift).
        .target(
            name: "NslabCLI",
            dependencies: [
                "NamespaceKit",
                "Dashboard",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "nslab", dependencies: ["NslabCLI"]),
        .executableTarget(name: "nslab-aslr", dependencies: ["NslabCLI"], linkerSettings: randomisedLink),
        // Helpers shared by the test targets: starting programs (tmux, nslab itself) with a clean signal mask.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "NamespaceKitTests", dependencies: ["NamespaceKit", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "TestSupport"]),
        .testTarget(
            name: "DashboardTests", dependencies: ["Dashboard"], exclude: ["Snapshots"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "nslabTests", dependencies: ["nslab", "nslab-aslr", "NslabCLI", "NamespaceKit", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
