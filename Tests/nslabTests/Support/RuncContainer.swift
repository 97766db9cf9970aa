import Foundation
import Testing

/// A runc container for the label tests: its root a read-only bind of `/` (made in a private mount namespace, so
/// the host never sees the bind), its only mounts /proc and /dev.
enum RuncContainer {
    /// Writes the bundle's config (`runc spec`, changed), starts the container detached running `arguments`, under
    /// the cgroup `cgroupPath` when given, and returns its init's pid.
    static func start(id: String, bundle: String, arguments: [String], cgroupPath: String? = nil) throws -> Int {
        try FileManager.default.createDirectory(atPath: bundle + "/rootfs", withIntermediateDirectories: true)
        let spec = try Binary.runProgram("/usr/sbin/runc", ["spec"], directory: bundle)
        try #require(spec.status == 0, "\(spec.stderr)")
        let configPath = bundle + "/config.json"
        var config = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath)))
                as? [String: Any])
        config["root"] = ["path": "rootfs", "readonly": true]
        var process = try #require(config["process"] as? [String: Any])
        process["args"] = arguments
        process["terminal"] = false
        config["process"] = process
        if let cgroupPath {
            var linux = try #require(config["linux"] as? [String: Any])
            linux["cgroupsPath"] = cgroupPath
            config["linux"] = linux
        }
        let mounts = try #require(config["mounts"] as? [[String: Any]])
        config["mounts"] = mounts.filter { ["/proc", "/dev"].contains($0["destination"] as? String ?? "") }
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
        let started = try Binary.runProgram(
            "/usr/bin/unshare",
            [
                "-m", "--propagation", "private", "sh", "-c",
                "mount --bind / rootfs && exec runc run -d \(id) </dev/null >/dev/null 2>&1",
            ], directory: bundle)
        try #require(started.status == 0, "\(started.stderr)")
        let state = try Binary.runProgram("/usr/sbin/runc", ["state", id])
        return try #require(
            (try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])?["pid"] as? Int,
            "runc state: \(state.stdout) \(state.stderr)")
    }
}
