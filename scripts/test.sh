#!/usr/bin/env bash
# Installs what is needed (scripts/setup.sh), runs every test project, and ends with the
# line "N passed, N failed" counted from the test results. Exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh || { echo "setup failed"; echo "0 passed, 0 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
dotnet test MLPipelines.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$(( passed + $(grep -o ' passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*') ))
  failed=$(( failed + $(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*') ))
done

if (( status != 0 && failed == 0 )); then
  echo "dotnet test exited with status $status without a failed test: see its output above"
fi
echo "$passed passed, $failed failed"
(( status == 0 && failed == 0 ))
