import NslabCLI

// The nslab users run, linked at a fixed address for the fastest start of `nslab run` (scripts/build-release.sh);
// the commands that parse other processes' bytes hand over to nslab-aslr (NslabCLI/Randomised.swift).
nslabMain()
