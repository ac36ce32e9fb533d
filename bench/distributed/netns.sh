# Shared by the network-namespace benchmarks (source it): N ranks, each in its own network
# namespace behind a veth link shaped with tc to RATE, all on one bridge. Needs root and iproute2.
#   netns_up RATE N; run_ranks PORT COMMAND...; link_stats; netns_congctl NAME; (netns_down runs on exit)
BR=sinterbr0
netns_down() {
  for ((i = 0; i < N; i++)); do ip netns del "sinter-bench-$i" 2>/dev/null || true; done
  ip link del "$BR" 2>/dev/null || true
}

netns_up() { # RATE N
  RATE=$1 N=$2
  [ "$(id -u)" -eq 0 ] || { echo "needs root for ip netns and tc" >&2; exit 1; }
  trap netns_down EXIT
  netns_down
  ip link add "$BR" type bridge
  ip link set "$BR" up
  for ((i = 0; i < N; i++)); do
    ns="sinter-bench-$i"
    ip netns add "$ns"
    ip link add "sbv$i" type veth peer name "sbp$i"
    ip link set "sbp$i" netns "$ns"
    ip link set "sbv$i" master "$BR" up
    ip netns exec "$ns" ip link set lo up
    # A rank idles between collectives (barrier, timing); without this, TCP restarts slow-start each time.
    ip netns exec "$ns" sysctl -q -w net.ipv4.tcp_slow_start_after_idle=0
    ip netns exec "$ns" ip addr add "10.77.0.$((i + 1))/24" dev "sbp$i"
    ip netns exec "$ns" ip link set "sbp$i" up
    # Each rank sends at most RATE: the link every collective has to share.
    ip netns exec "$ns" tc qdisc add dev "sbp$i" root tbf rate "$RATE" burst 256kb latency 50ms
  done
}

netns_congctl() { # NAME: connections opened from now on in the namespaces run TCP congestion control NAME
  for ((i = 0; i < N; i++)); do
    ip netns exec "sinter-bench-$i" ip route replace 10.77.0.0/24 dev "sbp$i" proto kernel scope link src "10.77.0.$((i + 1))" congctl "$1"
  done
}

run_ranks() { # PORT, then the command each rank runs
  local port=$1; shift
  local pids=()
  for ((i = 0; i < N; i++)); do
    # JFR_RANK=k records rank k's JVM with Java Flight Recorder into JFR_FILE (the profile settings).
    local jfr=""
    [ "${JFR_RANK:-}" = "$i" ] && jfr="-XX:StartFlightRecording=filename=${JFR_FILE:-/tmp/sinter-rank$i.jfr},settings=profile"
    ip netns exec "sinter-bench-$i" env JAVA_TOOL_OPTIONS="$jfr" RANK=$i WORLD_SIZE=$N LOCAL_RANK=0 LOCAL_WORLD_SIZE=1 MASTER_ADDR=10.77.0.1 \
      MASTER_PORT="$port" SINTER_TRANSPORT=tcp GLOO_SOCKET_IFNAME="sbp$i" OMP_NUM_THREADS=1 "$@" &
    pids+=($!)
  done
  local rc=0
  for p in "${pids[@]}"; do wait "$p" || rc=$?; done
  return $rc
}

link_stats() { # bytes and packets the N shaped links have sent so far
  local b=0 p=0 line
  for ((i = 0; i < N; i++)); do
    line=$(ip netns exec "sinter-bench-$i" tc -s qdisc show dev "sbp$i" | sed -n 's/^ *Sent \([0-9]*\) bytes \([0-9]*\) pkt.*/\1 \2/p' | head -1)
    b=$((b + ${line% *})); p=$((p + ${line#* }))
  done
  echo "$b $p"
}

link_drops() { # packets the N shapers have dropped so far (a full tbf queue: TCP then backs off)
  local d=0 n
  for ((i = 0; i < N; i++)); do
    n=$(ip netns exec "sinter-bench-$i" tc -s qdisc show dev "sbp$i" | sed -n 's/.*(dropped \([0-9]*\),.*/\1/p' | head -1)
    d=$((d + n))
  done
  echo "$d"
}
