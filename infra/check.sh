#!/usr/bin/env bash
# Lints every .bicep file under infra/ and compiles infra/main.bicep to infra/bin/main.json with the Bicep CLI
# from NuGet (pinned in infra/tools/BicepCli.props). Fails on any diagnostic: every linter rule is an error in
# infra/bicepconfig.json, and compiler warnings (which the CLI reports with exit code 0) fail here too.
# Offline-safe: needs only the NuGet registry, and only the first time. Usage: bash infra/check.sh
set -euo pipefail

infra_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$infra_dir")"
cd "$repo_root"
started=$SECONDS

props="infra/tools/BicepCli.props"
package_id="$(sed -n 's:.*<BicepCliPackage>\(.*\)</BicepCliPackage>.*:\1:p' "$props")"
version="$(sed -n 's:.*<BicepCliVersion>\(.*\)</BicepCliVersion>.*:\1:p' "$props")"
if [[ -z "$package_id" || -z "$version" ]]; then
  echo "check.sh: cannot read the Bicep CLI package and version from $props" >&2
  exit 1
fi

packages_root="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
packaged_cli="$packages_root/${package_id,,}/$version/tools/bicep"
if [[ ! -f "$packaged_cli" ]]; then
  echo "check.sh: restoring $package_id $version from NuGet..."
  dotnet restore infra/tools/BicepCli.proj --verbosity quiet
fi
if [[ ! -f "$packaged_cli" ]]; then
  echo "check.sh: $packaged_cli is missing after the restore" >&2
  exit 1
fi

# The package may not carry the execute bit: run a copy that has it.
cli_dir="infra/bin/bicep-cli"
cli="$cli_dir/bicep-$version"
if [[ ! -x "$cli" || "$(stat -c %s "$cli")" != "$(stat -c %s "$packaged_cli")" ]]; then
  mkdir -p "$cli_dir"
  cp "$packaged_cli" "$cli.tmp"
  chmod +x "$cli.tmp"
  mv -f "$cli.tmp" "$cli"
fi

failed=0

# run LABEL COMMAND...: runs a Bicep command, echoes its output, fails on a non-zero exit or any diagnostic.
run() {
  local label="$1"
  shift
  local output status=0
  output="$("$@" 2>&1)" || status=$?
  if [[ -n "$output" ]]; then
    printf '%s\n' "$output"
  fi
  if ((status != 0)) || grep -Eq ' : (Error|Warning|Info) ' <<<"$output"; then
    echo "check.sh: $label failed" >&2
    failed=1
  fi
}

mapfile -t bicep_files < <(find infra -name '*.bicep' -not -path 'infra/bin/*' | sort)
echo "check.sh: linting ${#bicep_files[@]} Bicep files with Bicep $version"
run "lint" "$cli" lint --pattern 'infra/**/*.bicep'

mkdir -p infra/bin
run "build of infra/main.bicep" "$cli" build infra/main.bicep --outfile infra/bin/main.json

# The postdeploy hook runs under sh (dash on Debian): at least it must parse.
if ! sh -n infra/scripts/create-blob-created-subscription.sh; then
  echo "check.sh: infra/scripts/create-blob-created-subscription.sh does not parse" >&2
  failed=1
fi

if ((failed)); then
  exit 1
fi
echo "check.sh: ok in $((SECONDS - started)) s; compiled template: infra/bin/main.json"
