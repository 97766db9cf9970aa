# Sourced by net-bench.sh and map-bench.sh, inside their own mount namespace: makes PAIRS pairs of network
# namespaces PREFIX<i>a and PREFIX<i>b, joined by a veth (va, vb) with 10.X.Y.1/30 and .2/30 and both ends up,
# through `ip -batch` (a thousand single `ip netns add` runs would take most of the benchmark). The names are added
# to the caller's `names` array, for its clean-up; WORK is a scratch directory.
make_netns_pairs() {
    local prefix=$1 pairs=$2 work=$3 i
    : >"$work/make"
    for i in $(seq 1 "$pairs"); do
        names+=("${prefix}${i}a" "${prefix}${i}b")
        printf 'netns add %s%sa\nnetns add %s%sb\n' "$prefix" "$i" "$prefix" "$i" >>"$work/make"
    done
    ip -batch "$work/make"
    : >"$work/link"
    for i in $(seq 1 "$pairs"); do
        printf 'link add va netns %s%sa type veth peer name vb netns %s%sb\n' "$prefix" "$i" "$prefix" "$i" >>"$work/link"
    done
    ip -batch "$work/link"
    for i in $(seq 1 "$pairs"); do
        printf 'addr add 10.%s.%s.1/30 dev va\nlink set va up\n' $((i / 250)) $((i % 250)) >"$work/a"
        printf 'addr add 10.%s.%s.2/30 dev vb\nlink set vb up\n' $((i / 250)) $((i % 250)) >"$work/b"
        ip -n "${prefix}${i}a" -batch "$work/a"
        ip -n "${prefix}${i}b" -batch "$work/b"
    done
}
