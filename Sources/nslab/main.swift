import NslabCLI

// The one nslab executable. scripts/build-release.sh links it static-pie: no dynamic loader, and ASLR for every
// command (it runs as root and parses what other processes write: their /proc files, a child's terminal output).
nslabMain()
