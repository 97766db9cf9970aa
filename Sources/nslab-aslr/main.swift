import NslabCLI

// The same program linked position independent (static-pie), so its image is placed at a random address: the
// dashboard, lessons, ps, ls and inspect run here (NslabCLI/Randomised.swift).
nslabMain()
