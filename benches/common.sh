# Helpers shared by the bench scripts: figures from GNU time's `-v` report and from a
# `dedup --stats` file. Sourced, not run.

# Seconds from GNU time's "h:mm:ss" or "m:ss.ss".
wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ {
        n = split($2, p, ":"); s = 0
        for (i = 1; i <= n; i++) s = s * 60 + p[i]
        print s
    }' "$1"
}
cpu_seconds() {
    awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.2f", u + s}' "$1"
}
sys_seconds() {
    awk -F': ' '/System time/ {printf "%.2f", $2}' "$1"
}
rss_mib() {
    awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"
}
# "read 2047 fingerprint 15790 … tickets 2428 finish 20" (ms) from a `dedup --stats` file.
stage_ms() {
    sed -e 's/.*"read_ms":\([0-9]*\).*"stage_ms":\[\(.*\)\],"stage_rss_mib".*"finish_ms":\([0-9]*\).*/read \1 \2 finish \3/' \
        -e 's/\["\([a-z]*\)",\([0-9]*\)\],\{0,1\}/\1 \2 /g' -e 's/  */ /g' "$1"
}
