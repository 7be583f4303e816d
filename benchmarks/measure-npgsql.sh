#!/usr/bin/env bash
# Measures TenantGuard's share of the compile on Npgsql's own test project (npgsql/npgsql at 3cb5804b, ~41k lines,
# ~600 NpgsqlCommand, ~1,500 Execute calls): the worst case we know of, a project where every test talks to PostgreSQL.
#
#   benchmarks/measure-npgsql.sh [runs] [npgsql checkout]
#
# Builds TenantGuard's analyzers (Release): the copy the package hands the compiler on this machine, precompiled where it
# has one (tenantguard_analyzer in npgsql-checkout.sh; TENANTGUARD_IMAGE=portable for the portable one). Then rebuilds
# Npgsql.Tests (--no-dependencies --no-incremental) with -p:ReportAnalyzer=true, with and without TenantGuard, and prints
# per run: TenantGuard's analyzer time, the Csc task time, and the share. Also measures Npgsql.SourceGenerators, which
# references none of Npgsql, Dapper and EF Core.
# Timings are not asserted anywhere; docs/performance.md holds the numbers.
#
# The checkout is made and patched by npgsql-checkout.sh.
set -euo pipefail
runs=${1:-3}
src=${2:-}
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=npgsql-checkout.sh
. "$here/benchmarks/npgsql-checkout.sh"
npgsql_checkout "$work" "$src"
src=$npgsql_src

analyzer=$(tenantguard_analyzer "$here" "$work/tenantguard")
# Every rule on, as warnings (as a strict preset sets them), whatever its default.
all_rules_config "$here" "$work/all-rules.globalconfig"
cat > "$work/tenantguard.targets" <<EOF
<Project>
  <ItemGroup>
    <Analyzer Include="\$(TenantGuardAnalyzer)" Condition="'\$(TenantGuardAnalyzer)' != ''" />
    <GlobalAnalyzerConfigFiles Include="$work/all-rules.globalconfig" Condition="'\$(TenantGuardAnalyzer)' != ''" />
  </ItemGroup>
</Project>
EOF

measure() { # project, with TenantGuard (1) or not (0)
  local extra=()
  if [ "$2" = 1 ]; then extra=(-p:CustomAfterMicrosoftCSharpTargets="$work/tenantguard.targets" -p:TenantGuardAnalyzer="$analyzer"); fi
  dotnet build "$1" -c Release --no-dependencies --no-incremental -p:ReportAnalyzer=true "${extra[@]}" -v:d -clp:PerformanceSummary > "$work/run.log" 2>&1
  local csc tg net
  csc=$(grep -E '^\s+[0-9]+ ms\s+Csc ' "$work/run.log" | awk '{print $1}' | tail -1 || true)
  tg=$(grep -v 'bincore/csc' "$work/run.log" | grep -E '^\s+[0-9<.]+\s+[0-9<]+\s+TenantGuard.Analyzers, ' | awk '{print $1}' | head -1 || true)
  net=$(netanalyzers_time "$work/run.log")
  echo "${tg:-0} ${csc} ${net:-0}"
}

for project in "$src/test/Npgsql.Tests/Npgsql.Tests.csproj" "$src/src/Npgsql.SourceGenerators/Npgsql.SourceGenerators.csproj"; do
  echo "== $(basename "$project" .csproj)"
  : > "$work/runs.txt"
  for i in $(seq 1 "$runs"); do
    read -r tg csc net < <(measure "$project" 1)
    read -r _ base _ < <(measure "$project" 0)
    share=$(awk -v t="$tg" -v c="$csc" 'BEGIN { gsub("<", "", t); printf "%.1f", 100 * t * 1000 / c }')
    echo "run $i: TenantGuard ${tg} s of Csc ${csc} ms (${share}%); NetAnalyzers ${net} s in the same build; Csc without TenantGuard ${base} ms"
    echo "${tg//</} $net $share" >> "$work/runs.txt"
  done
  # Single builds vary by a factor of two on a small machine: the median of several is what compares.
  echo "median of $runs: TenantGuard $(awk '{print $1}' "$work/runs.txt" | median 3) s, NetAnalyzers $(awk '{print $2}' "$work/runs.txt" | median 3) s, share $(awk '{print $3}' "$work/runs.txt" | median 1)%"
done
