#!/usr/bin/env bash
# npm run test:slurm — wslab on a real Slurm cluster: a single-node cluster (munged, slurmctld, slurmd)
# on localhost, in a temporary folder with its own config, munge socket and free ports, so it disturbs
# no other Slurm or munge on the machine. Installs Debian's slurm-wlm + munge when missing (root).
# Then: one `wslab generate` process; the same work as a 4-task job array (`wslab slurm generate
# --submit`, `wslab slurm status --wait`, `wslab merge`); the merged dataset must equal the single
# run (same ids, labels, bit-identical weights); a task submitted again must find its shards done; a
# task requeued while running (as on preemption) must resume with the shards it had finished; a 2-task
# training sweep (`wslab slurm sweep --submit`) must end with both runs done; and the extension's submission
# path (scripts/slurm/extension-submit.ts: its worker job and its poller, in Node) must end with its run done.
# Prints the wall time of both. Every daemon it started is stopped by its pid file at the end, also on
# failure or Ctrl-C; a failure prints the Slurm and task logs.
#
# Environment: WSLAB_SLURM_TIMEOUT_S (default 150) limits the wait for the job array;
# WSLAB_SLURM_KEEP=1 keeps the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
TIMEOUT_S=${WSLAB_SLURM_TIMEOUT_S:-150}
TASKS=4
WSLAB=(node "$ROOT/dist/cli.js")
# The work: 32 MNIST INRs, 500 steps each, 8 shards of 4 (2 per task), fixed seed.
GENERATE=(--dataset mnist --limit 32 --steps 500 --target-psnr none --shard-size 4 --seed 11)

log() { echo "test:slurm: $*"; }
fail() { echo "test:slurm: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- Slurm and munge -------------------------------------------------------------------------------
missing=()
for program in munged slurmctld slurmd sbatch squeue sinfo scancel; do
  command -v "$program" >/dev/null 2>&1 || missing+=("$program")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || fail "missing ${missing[*]}; installing slurm-wlm and munge needs root (apt-get install slurm-wlm munge)"
  log "installing slurm-wlm and munge (missing: ${missing[*]})"
  export DEBIAN_FRONTEND=noninteractive
  apt_log=$(mktemp /tmp/wslab-slurm-apt-XXXXXX.log)
  { apt-get -o DPkg::Lock::Timeout=300 update -q && apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends slurm-wlm munge; } >"$apt_log" 2>&1 ||
    { tail -n 30 "$apt_log" >&2; fail "apt-get could not install slurm-wlm and munge (log above)"; }
  rm -f "$apt_log"
fi
[ "$(id -u)" = 0 ] || fail "the single-node cluster runs its daemons as root; run as root"
[ -f dist/cli.js ] || fail "dist/cli.js is missing: run npm run build"

WORK=$(mktemp -d /tmp/wslab-slurm-XXXXXX)
chmod 755 "$WORK"
STARTED=()      # pid files of the daemons this script started, in start order
STATUS=1

dump_logs() {
  for f in "$WORK"/log/*.log "$WORK"/*/slurm/logs/*.log; do
    [ -f "$f" ] || continue
    echo "----- $f (last 40 lines)" >&2
    tail -n 40 "$f" >&2
  done
}

stop_daemon() {
  local pidfile=$1 pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "test:slurm: $(basename "$pidfile" .pid) (pid $pid) did not stop in 5 s; killing it" >&2
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ "$STATUS" != 0 ]; then
    [ "$status" != 0 ] || status=1
    echo "test:slurm: FAILED — logs follow" >&2
    dump_logs
  fi
  if [ ${#STARTED[@]} -gt 0 ]; then
    scancel --full --quiet --user root 2>/dev/null || true     # only this cluster's jobs: SLURM_CONF is ours
    for ((i = ${#STARTED[@]} - 1; i >= 0; i--)); do stop_daemon "${STARTED[$i]}"; done
  fi
  if [ "${WSLAB_SLURM_KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'; }

mkdir -p "$WORK"/{munge,state,spool,log,run}
chmod 711 "$WORK/munge"
# munge: our own key, socket and daemon.
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge/munge.key"
MUNGE_SOCKET="$WORK/munge/munge.socket"
munged --force --key-file="$WORK/munge/munge.key" --socket="$MUNGE_SOCKET" --pid-file="$WORK/run/munged.pid" \
  --log-file="$WORK/log/munged.log" --seed-file="$WORK/munge/munged.seed" || fail "munged did not start"
STARTED+=("$WORK/run/munged.pid")
munge --socket="$MUNGE_SOCKET" -n | unmunge --socket="$MUNGE_SOCKET" >/dev/null || fail "munge cannot encode and decode a credential"

NODE=$(hostname -s)
CPUS=$(nproc)
export SLURM_CONF="$WORK/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=wslabtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET,cred_expire=5
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
STARTED+=("$WORK/run/slurmctld.pid")
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
STARTED+=("$WORK/run/slurmd.pid")
for _ in $(seq 60); do
  [ "$(sinfo --noheader --nodes "$NODE" --format %t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
[ "$(sinfo --noheader --nodes "$NODE" --format %t)" = idle ] || fail "node $NODE is not idle after 30 s: $(sinfo --noheader --format '%N %t %E')"
log "single-node cluster up: $NODE, $CPUS CPUs ($(slurmctld -V))"

# --- the same work in one process, then as a job array ---------------------------------------------
t0=$(now)
"${WSLAB[@]}" generate "${GENERATE[@]}" --out "$WORK/single" --workers "$CPUS" --progress none >/dev/null
t1=$(now)
SINGLE_S=$(seconds "$t0" "$t1")
log "one process, $CPUS workers: ${SINGLE_S} s"

t0=$(now)
JOB=$("${WSLAB[@]}" slurm generate "${GENERATE[@]}" --out "$WORK/array" --tasks $TASKS --cpus-per-task 1 --submit)
[[ "$JOB" =~ ^[0-9]+$ ]] || fail "slurm generate --submit printed \"$JOB\", not a job id"
log "submitted job $JOB ($TASKS tasks × 1 CPU)"
"${WSLAB[@]}" slurm status "$WORK/array" --wait --interval 0.25 --timeout "$TIMEOUT_S" || fail "job $JOB did not finish its work"
t1=$(now)
ARRAY_S=$(seconds "$t0" "$t1")
"${WSLAB[@]}" merge "$WORK/array"

node --import tsx scripts/slurm/compare-datasets.ts "$WORK/single" "$WORK/array" || fail "the merged dataset differs from the single run"

# A task submitted again (as after a requeue) finds its shards finished and fits nothing.
AGAIN=$(sbatch --parsable --array=1 "$WORK/array/slurm/generate.sbatch")
"${WSLAB[@]}" slurm status "$WORK/array" --job "$AGAIN" --wait --interval 0.25 --timeout 60 >/dev/null || fail "task 1 submitted again (job $AGAIN) failed"
grep -q '8 already done, 0 to fit' "$WORK/array/slurm/logs/generate-${AGAIN}_1.log" || fail "task 1 submitted again did not find its 2 shards done"
node --import tsx scripts/slurm/compare-datasets.ts "$WORK/single" "$WORK/array" >/dev/null || fail "task 1 submitted again changed the dataset"
log "task 1 submitted again (job $AGAIN): its 2 shards were already done, nothing changed"

# A training sweep: 2 tasks (two learning rates), each a 2-epoch run on the dataset above; both must end done.
printf '{ "dataset": "%s", "model": { "kind": "mlp" }, "optimizer": { "epochs": 2, "batchSize": 8 } }\n' "$WORK/single" >"$WORK/tiny.wslab.json"
SWEEP=$("${WSLAB[@]}" slurm sweep "$WORK/tiny.wslab.json" --grid optimizer.lr=0.001,0.003 --runs "$WORK/runs" --cpus-per-task 1 --submit)
[[ "$SWEEP" =~ ^[0-9]+$ ]] || fail "slurm sweep --submit printed \"$SWEEP\", not a job id"
"${WSLAB[@]}" slurm status "$WORK/runs" --wait --interval 0.25 --timeout "$TIMEOUT_S" >/dev/null || fail "sweep job $SWEEP did not finish its runs"
for run in tiny-lr0.001 tiny-lr0.003; do
  grep -q '"state": "done"' "$WORK/runs/$run/status" || fail "sweep run $run did not end done"
done
log "training sweep (job $SWEEP): 2 tasks, runs tiny-lr0.001 and tiny-lr0.003 done"

# The extension's "Submit to Slurm…" path in Node: the worker's submission job, then the tree's poller until done.
node --import tsx scripts/slurm/extension-submit.ts "$WORK/tiny.wslab.json" "$WORK/ext-runs" "$TIMEOUT_S" || fail "the extension's submission did not end done"

# Preemption: requeue a running task after it finished some shards; it must resume with them. (Slurm
# holds a requeued task back for the credential lifetime, cred_expire above: 120 s by default.)
"${WSLAB[@]}" slurm generate "${GENERATE[@]}" --out "$WORK/requeue" --tasks 1 --cpus-per-task 1 --submit >"$WORK/requeue.job" 2>/dev/null
RQ=$(cat "$WORK/requeue.job")
finished_shards() { "${WSLAB[@]}" slurm status "$WORK/requeue" --json | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).shards.finished))'; }
for _ in $(seq 400); do
  done_before=$(finished_shards)
  [ "$done_before" -ge 1 ] && break
  sleep 0.1
done
[ "$done_before" -ge 1 ] && [ "$done_before" -lt 8 ] || fail "job $RQ had $done_before of 8 shards when it was to be requeued (expected 1-7)"
scontrol requeue "${RQ}_0" || fail "cannot requeue task 0 of job $RQ"
"${WSLAB[@]}" slurm status "$WORK/requeue" --wait --interval 0.25 --timeout "$TIMEOUT_S" >/dev/null || fail "requeued job $RQ did not finish its work"
RQ_LOG="$WORK/requeue/slurm/logs/generate-${RQ}_0.log"
grep -q 'DUE TO JOB REQUEUE' "$RQ_LOG" || fail "job $RQ was not requeued while running (see $RQ_LOG)"
resumed=$(sed -n 's/.* planned; \([0-9]*\) already done, .*/\1/p' "$RQ_LOG" | tail -n 1)
[ -n "$resumed" ] && [ "$resumed" -ge 4 ] || fail "the requeued task did not resume with its finished shards (log: $(grep 'already done' "$RQ_LOG" | tr '\n' ' '))"
"${WSLAB[@]}" merge "$WORK/requeue" >/dev/null
node --import tsx scripts/slurm/compare-datasets.ts "$WORK/single" "$WORK/requeue" >/dev/null || fail "the requeued job's dataset differs from the single run"
log "task requeued while running (job $RQ) after $done_before of 8 shards: it resumed with $resumed INRs done, and the merged dataset equals the single run"

STATUS=0
log "wall time for the same work (32 INRs × 500 steps): one process ${SINGLE_S} s, $TASKS-task job array ${ARRAY_S} s (submission to last task done, on $CPUS CPUs, load average $(cut -d' ' -f1 /proc/loadavg))"
log "passed"
