/// nslab's version, the one place it is written: `nslab --version` prints it, and packaging (a man page, a .deb)
/// reads it from this line with `sed -n 's/^let nslabVersion = "\(.*\)"$/\1/p' Sources/NslabCLI/Version.swift`.
/// Keep the line in exactly that shape; VersionTests checks it.
let nslabVersion = "0.1.0"
