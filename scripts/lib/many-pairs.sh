# Shared by the many-pairs benchmarks (bench-many-pairs, bench-group-instructions,
# bench-collector-layouts): sourced from the repository's root.

# The fixture's instrument snapshot: 672 online pairs.
many_pairs_fixture=$PWD/Tests/KrakenSimTests/Fixtures/kraken-data-recorder_instrument_snapshot.json

# Sets `bin`: BENCH_BIN=DIR takes the binaries from DIR (another build's, for before/after runs
# alternating on the same machine); otherwise this tree's release build of PRODUCTS.
many_pairs_binaries() {
    if [ -n "${BENCH_BIN:-}" ]; then
        bin=$BENCH_BIN
    else
        for product in "$@"; do
            swift build -c release --scratch-path .build-release --product "$product" >/dev/null
        done
        bin=$PWD/.build-release/release
    fi
}

# Starts the simulator with every pair at --rate 570 in total and Kraken's connection limit,
# writing to WORK/sim.out; sets `simulator` (its pid), `url` and `control_port`.
many_pairs_simulator() {
    local work=$1; shift
    : > "$work/sim.out"   # exists before the simulator writes it: the loop below reads it at once
    "$bin/kraken-sim" --port 0 --pairs-file "$many_pairs_fixture" --rate 570 --connection-limit 150 \
        --connection-window 600s --ban 600s --control-port 0 "$@" >> "$work/sim.out" 2> "$work/sim.err" &
    simulator=$!
    url=""; control_port=""
    for _ in $(seq 200); do
        url=$(sed -n 's/^listening on //p' "$work/sim.out")
        control_port=$(sed -n 's|^control on http://127.0.0.1:\([0-9]*\)/control|\1|p' "$work/sim.out")
        [ -n "$url" ] && [ -n "$control_port" ] && break; sleep 0.1
    done
}

# The online pairs, one BASE-QUOTE name a line, to WORK/pairs.txt.
many_pairs_list() {
    python3 - "$many_pairs_fixture" > "$1/pairs.txt" <<'PY'
import json, sys
for p in json.load(open(sys.argv[1]))["data"]["pairs"]:
    if p["status"] == "online": print(p["symbol"].replace("/", "-"))
PY
}

# WORK/config.yaml for the simulator at `url`: depth 10, levels 10, then the lines of MARKETS
# (the `markets:` list or `all_markets: {}`); EXTRA_KRAKEN lines go under `kraken:`.
many_pairs_config() {
    local work=$1 markets=$2 extra_kraken=${3:-}
    {
        echo "data_dir: $work/data"; echo "log_dir: $work/logs"; echo "log_level: notice"
        echo "kraken:"; echo "  url: $url"
        [ -n "$extra_kraken" ] && echo "$extra_kraken"
        echo "defaults:"; echo "  depth: 10"; echo "  levels: 10"
        echo "$markets"
    } > "$work/config.yaml"
}
