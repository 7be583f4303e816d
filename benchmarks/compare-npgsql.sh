#!/usr/bin/env bash
# Compares two versions of TenantGuard on Npgsql's own test project (see measure-npgsql.sh), in alternating pairs of
# runs of the compiler itself, so that the machine's drift from run to run falls on both alike.
#
#   benchmarks/compare-npgsql.sh <commit A> <commit B> [pairs] [npgsql checkout] [parallel|sequential]
#
# Builds TenantGuard's analyzers (Release) at each commit in a scratch worktree (the copy the package hands the compiler
# on this machine: see tenantguard_analyzer in npgsql-checkout.sh), gets the compiler's command line for
# Npgsql.Tests from one detailed build, then for each pair runs csc directly (`dotnet <sdk>/Roslyn/bincore/csc.dll`,
# no compiler server) with /reportanalyzer and each version as its one extra analyzer, output to a scratch directory
# under the project's own assembly name (InternalsVisibleTo depends on it). Prints per run TenantGuard's analyzer time,
# all analyzers' time, the process's wall time and TenantGuard's share of it, then the median of each version.
# "sequential" compiles with /parallel-: the analyzers then run one callback at a time, so that their times are CPU
# time rather than wall time shared with the compiler's other threads (steadier on a loaded 2-core machine; see
# docs/performance.md). TenantGuard's time over NetAnalyzers' in the same run is printed too: it varies far less from
# run to run than either time alone.
# Timings are not asserted anywhere; docs/performance.md holds the numbers.
set -euo pipefail
a=$1; b=$2; pairs=${3:-10}; src=${4:-}; mode=${5:-parallel}
extra_csc=()
if [ "$mode" = sequential ]; then extra_csc=(/parallel-); fi
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'git -C "$here" worktree remove --force "$work/tg-a" 2>/dev/null || true; git -C "$here" worktree remove --force "$work/tg-b" 2>/dev/null || true; rm -rf "$work"' EXIT

# shellcheck source=npgsql-checkout.sh
. "$here/benchmarks/npgsql-checkout.sh"
npgsql_checkout "$work" "$src"
src=$npgsql_src

for v in a b; do
  commit=${!v}
  git -C "$here" worktree add --quiet --detach "$work/tg-$v" "$commit"
  tenantguard_analyzer "$work/tg-$v" "$work/analyzer-$v" > /dev/null
  mkdir -p "$work/out-$v"
done

project="$src/test/Npgsql.Tests"
all_rules_config "$here" "$work/all-rules.globalconfig"
dotnet build "$project/Npgsql.Tests.csproj" -c Release --no-dependencies --no-incremental -v:d --nologo > "$work/detail.log" 2>&1
line=$(grep -E '^\s+\S+/Roslyn/bincore/csc ' "$work/detail.log" | head -1)
csc_dll="$(echo "$line" | awk '{print $1}').dll"
echo "$line" | sed -E 's#^\s+\S+/Roslyn/bincore/csc ##' > "$work/csc.rsp"

run() { # version, pair number
  local dll="$work/analyzer-$1/TenantGuard.Analyzers.dll" s e
  s=$(date +%s.%N)
  (cd "$project" && dotnet "$csc_dll" @"$work/csc.rsp" /out:"$work/out-$1/Npgsql.Tests.dll" /analyzer:"$dll" /analyzerconfig:"$work/all-rules.globalconfig" /reportanalyzer "${extra_csc[@]}" > "$work/run-$1.log" 2>&1) || true
  e=$(date +%s.%N)
  local tg all net
  tg=$(grep -E 'TenantGuard.Analyzers, ' "$work/run-$1.log" | head -1 | awk '{print $1}')
  net=$(netanalyzers_time "$work/run-$1.log")
  all=$(grep -iE 'Total analyzer execution time' "$work/run-$1.log" | head -1 | grep -oE '[0-9.]+' | head -1)
  awk -v v="$1" -v c="${!1}" -v i="$2" -v tg="${tg:-0}" -v all="${all:-0}" -v net="${net:-0}" -v s="$s" -v e="$e" \
    'BEGIN { w = e - s; printf "%s (%s) pair %d: TenantGuard %.3f s, NetAnalyzers %.3f s, ratio %.2f, all analyzers %.3f s, wall %.1f s, share %.1f%%\n", v, c, i, tg, net, (net > 0 ? tg / net : 0), all, w, 100 * tg / w }' \
    | tee -a "$work/results.txt"
}

for i in $(seq 1 "$pairs"); do run a "$i"; run b "$i"; done
for v in a b; do
  tg=$(grep "^$v " "$work/results.txt" | sed -E 's/.*TenantGuard ([0-9.]+) s.*/\1/' | median)
  share=$(grep "^$v " "$work/results.txt" | sed -E 's/.*share ([0-9.]+)%.*/\1/' | median)
  net=$(grep "^$v " "$work/results.txt" | sed -E 's/.*NetAnalyzers ([0-9.]+) s.*/\1/' | median)
  ratio=$(grep "^$v " "$work/results.txt" | sed -E 's/.*ratio ([0-9.]+),.*/\1/' | median)
  echo "$v (${!v}, $mode): median TenantGuard $tg s, median NetAnalyzers $net s, median ratio $ratio, median share $share%"
done
