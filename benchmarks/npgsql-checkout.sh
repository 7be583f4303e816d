# Sourced by measure-npgsql.sh and compare-npgsql.sh: a built checkout of npgsql/npgsql at 3cb5804b.
#
#   npgsql_checkout <work dir> [existing checkout]   sets $npgsql_src
#
# The checkout is patched for an offline package feed that serves slightly different versions than npgsql pins
# (warnings about resolved versions are not errors; GeoJSON.Net, which the feed lacks, and its test file are left out),
# then Npgsql.Tests is built once with its dependencies.
npgsql_checkout() {
  local work=$1
  npgsql_src=${2:-}
  if [ -z "$npgsql_src" ]; then
    git clone --quiet https://github.com/npgsql/npgsql "$work/npgsql"
    git -C "$work/npgsql" checkout --quiet 3cb5804b
    npgsql_src="$work/npgsql"
  fi
  # Offline-feed patches (idempotent).
  sed -i 's#<TreatWarningsAsErrors>true</TreatWarningsAsErrors>#<TreatWarningsAsErrors>false</TreatWarningsAsErrors><NoWarn>$(NoWarn);NU1603;NU1605;NU1608</NoWarn>#' "$npgsql_src/Directory.Build.props"
  sed -i 's#"OpenTelemetry" Version="1.17.0"#"OpenTelemetry" Version="1.20.1"#; s#"OpenTelemetry.API" Version="1.17.0"#"OpenTelemetry.API" Version="1.20.1"#' "$npgsql_src/Directory.Packages.props"
  sed -i 's#<ProjectReference Include="../../src/Npgsql.GeoJSON/Npgsql.GeoJSON.csproj" />##' "$npgsql_src/test/Npgsql.Tests/Npgsql.Tests.csproj"
  rm -f "$npgsql_src/test/Npgsql.Tests/Plugins/GeoJSONTests.cs"
  dotnet build "$npgsql_src/test/Npgsql.Tests/Npgsql.Tests.csproj" -c Release --nologo -v:q > "$work/first.log" 2>&1 || { tail -20 "$work/first.log"; return 1; }
}

# Writes a global analyzer config that turns every TenantGuard rule on as a warning (as a strict preset does), so that
# the measurement covers every rule whatever its default severity.
#
#   all_rules_config <repository> <output file>
all_rules_config() {
  { echo "is_global = true"
    grep -oE '"TG[0-9]{4}"' "$1/src/Analyzers/Descriptors.cs" | tr -d '"' | sort -u | sed 's/.*/dotnet_diagnostic.&.severity = warning/'
  } > "$2"
}

# The SDK's code-analysis rules' time in a compiler log (`/reportanalyzer` output): Microsoft.CodeAnalysis.NetAnalyzers
# and Microsoft.CodeAnalysis.CSharp.NetAnalyzers together, in seconds.
#
#   netanalyzers_time <log file>
netanalyzers_time() {
  grep -v 'bincore/csc' "$1" | grep -E '^\s+[0-9<.]+\s+[0-9<]+\s+Microsoft.CodeAnalysis.(CSharp.)?NetAnalyzers, ' \
    | awk '{gsub("<", "", $1); s += $1} END {printf "%.3f", s}' || true
}

# The median of the numbers on standard input, one per line, printed with the given number of decimals (2 by default).
#
#   ... | median [decimals]
median() {
  sort -n | awk -v d="${1:-2}" '{ x[NR] = $1 } END { printf "%." d "f", (NR % 2) ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2 }'
}

# Builds TenantGuard's analyzers in a checkout of this repository and prints the path of the assembly to measure: the
# copy the package hands the compiler on this machine (the precompiled one for the host's runtime identifier, when the
# checkout has src/Precompiled and lists it there), or the portable one with TENANTGUARD_IMAGE=portable, on other
# machines and in checkouts from before the precompiled copies.
#
#   tenantguard_analyzer <repository> <output directory>
tenantguard_analyzer() {
  local repo=$1 out=$2 rid
  rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
  if [ "${TENANTGUARD_IMAGE:-precompiled}" != portable ] && [ -f "$repo/src/Precompiled/TenantGuard.Precompiled.csproj" ] \
    && grep -qE "<RuntimeIdentifiers>([^<]*;)?$rid(;[^<]*)?</RuntimeIdentifiers>" "$repo/src/Precompiled/TenantGuard.Precompiled.csproj"; then
    # The package's folder holds TenantGuard's assemblies alone: so does the measured one (the publish gathers more).
    dotnet publish "$repo/src/Precompiled" -c Release -r "$rid" -o "$out/publish" --nologo -v:q > /dev/null
    cp "$out/publish/TenantGuard.Analyzers.dll" "$out/publish/TenantGuard.CodeFixes.dll" "$out/"
  else
    dotnet build "$repo/src/Analyzers" -c Release --nologo -v:q -o "$out" > /dev/null
  fi
  echo "$out/TenantGuard.Analyzers.dll"
}
