#!/usr/bin/env bash
# Throughput of `certify --spark` against the local runner on the MNIST data set: the same items
# run by the local runner, on local[1], on local[2], and on a two-worker Spark standalone cluster
# on 127.0.0.1 (a master and two one-core workers, separate JVMs, started from Spark's jars in
# ~/.m2); then the local runner and local[1] again with the whole JVM pinned to one core
# (`taskset -c 0`: the JIT, the GC and the driver share that core too), which is what "one core"
# means. Prints items/s per run, Spark's session start-up, the per-task overhead
#   (wall(local[1]) - start-up - wall(local runner)) / items,
# and the speed-up of local[2] over local[1], unpinned and pinned. Each Spark task's engine uses
# the task's cores (spark.task.cpus = 1), the local runner's every core of its JVM.
# Usage: scripts/spark-throughput.sh   (ROWS=0..19 EPS=0.01,0.03 TIMEOUT=5 NET=mnist-net_256x2 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-0..19}
eps=${EPS:-0.01,0.03}
timeout=${TIMEOUT:-5}
net=${NET:-../shared/benchmarks/mnistfc/onnx/mnist-net_256x2.onnx}
data=../shared/datasets/mnist_test.csv
out=$(mktemp -d)
./robustspec certify --help >/dev/null
./robustspec certify --spark x --help >/dev/null # builds the spark jar
cp=$(cat spark/target/spark-classpath.txt):spark/target/robustspec-spark.jar
echo "uptime: $(uptime)"
date -u

now() { date +%s.%N; }
certify() { # label, extra args...  (PIN=1: the JVM on core 0 only)
  local label=$1
  shift
  local t0 t1 pin=()
  [ "${PIN:-0}" = 1 ] && pin=(taskset -c 0)
  t0=$(now)
  ROBUSTSPEC_JAVA_OPTS="-Xss8m -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 -Dspark.cores.max=2" \
    "${pin[@]}" ./robustspec certify "$net" --data "$data" --scale 1/255 --clip 0,1 --rows "$rows" \
    --eps "$eps" --timeout "$timeout" --seed 1 --out "$out/$label.csv" "$@" \
    >"$out/$label.out" 2>"$out/$label.err" || { cat "$out/$label.err" >&2; exit 1; }
  t1=$(now)
  local items
  items=$(($(wc -l <"$out/$label.csv") - 1))
  local wall
  wall=$(echo "$t1 - $t0" | bc -l)
  printf '%-22s %3d items in %7.2f s: %6.3f items/s; %s\n' "$label" "$items" "$wall" \
    "$(echo "$items / $wall" | bc -l)" "$(grep 'certified accuracy' "$out/$label.out" | tr '\n' ' ')"
  echo "$wall" >"$out/$label.wall"
}

certify local-runner
certify 'local[1]' --spark 'local[1]'
certify 'local[2]' --spark 'local[2]'
# start-up and shut-down of a Spark session with nothing to run (every row already there)
startup_of() { # PIN=1: on one core
  local pin=()
  [ "${PIN:-0}" = 1 ] && pin=(taskset -c 0)
  cp "$out/local[1].csv" "$out/startup.csv"
  local t0
  t0=$(now)
  "${pin[@]}" ./robustspec certify "$net" --data "$data" --scale 1/255 --clip 0,1 --rows "$rows" \
    --eps "$eps" --timeout "$timeout" --seed 1 --out "$out/startup.csv" --resume \
    --spark 'local[1]' >/dev/null 2>&1
  echo "$(now) - $t0" | bc -l
}
startup=$(startup_of)

# the standalone cluster: SPARK_HOME/jars holds links to Spark's jars
home="$out/spark-home"
mkdir -p "$home/jars"
for j in $(echo "$cp" | tr ':' ' '); do ln -sf "$(realpath "$j")" "$home/jars/"; done
port=$((20000 + RANDOM % 20000))
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
java -Xmx512m -cp "$cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port $((port + 1)) >"$out/master.log" 2>&1 &
master=$!
pids=("$master")
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for _ in $(seq 60); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.5; done
for w in 0 1; do
  mkdir -p "$out/work$w"
  java -Xmx512m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
    --memory 1g --webui-port $((port + 2 + w)) --work-dir "$out/work$w" \
    "spark://127.0.0.1:$port" >"$out/worker$w.log" 2>&1 &
  pids+=("$!")
done
sleep 5
certify 'standalone 2 workers' --spark "spark://127.0.0.1:$port"
kill "${pids[@]}" 2>/dev/null || true
PIN=1 certify 'local-runner 1 core'
PIN=1 certify 'local[1] 1 core' --spark 'local[1]'

local_wall=$(cat "$out/local-runner.wall")
one=$(cat "$out/local[1].wall")
two=$(cat "$out/local[2].wall")
items=$(($(wc -l <"$out/local-runner.csv") - 1))
printf 'Spark session start-up and stop (nothing to run): %.2f s\n' "$startup"
printf 'per-task overhead on local[1] against the local runner: %.3f s per item\n' \
  "$(echo "($one - $startup - $local_wall) / $items" | bc -l)"
printf 'local[2] / local[1] speed-up: %.2fx (wall, start-up included); %.2fx without start-up\n' \
  "$(echo "$one / $two" | bc -l)" "$(echo "($one - $startup) / ($two - $startup)" | bc -l)"
pinned=$(cat "$out/local[1] 1 core.wall")
startup1=$(PIN=1 startup_of)
printf 'Spark session start-up and stop on one core: %.2f s\n' "$startup1"
printf 'local[2] (two cores) / local[1] pinned to one core: %.2fx (wall); %.2fx without start-up\n' \
  "$(echo "$pinned / $two" | bc -l)" "$(echo "($pinned - $startup1) / ($two - $startup)" | bc -l)"
printf 'per-task overhead on one core (local[1] vs the local runner, both pinned): %.3f s per item\n' \
  "$(echo "($pinned - $startup1 - $(cat "$out/local-runner 1 core.wall")) / $items" | bc -l)"
# verdicts identical to the local runner's, row by row (the seconds column aside)
for label in 'local[1]' 'local[2]' 'standalone 2 workers' 'local-runner 1 core' 'local[1] 1 core'; do
  if diff <(cut -d, -f1-6 "$out/local-runner.csv" | sort) <(cut -d, -f1-6 "$out/$label.csv" | sort) >/dev/null; then
    echo "$label: rows identical to the local runner's"
  else
    echo "$label: rows DIFFER from the local runner's (timeouts under load?):"
    diff <(cut -d, -f1-6 "$out/local-runner.csv" | sort) <(cut -d, -f1-6 "$out/$label.csv" | sort) || true
  fi
done
echo "results in $out"
