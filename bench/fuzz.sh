#!/usr/bin/env bash
# On-demand coverage-guided fuzzing with Jazzer (libFuzzer in-process) over every @FuzzTest target.
#
#   bench/fuzz.sh                 the default targets below, each for the maxDuration in its @FuzzTest
#   bench/fuzz.sh 'RateLimitPolicyFuzzTest#sentences' ...    only these targets
#
# Jazzer fuzzes one target per JVM, so each target is a surefire run of its own (JAZZER_FUZZ=1). Needs
# PostgreSQL at 127.0.0.1:5432 (or TEST_POSTGRES_URL) for the HTTP targets, like ./mvnw verify.
# Prints, per target, the inputs tried and the distinct failures (libFuzzer's dedup tokens); a failing input
# is written by Jazzer into that target's inputs directory (src/test/resources/.../<Class>Inputs/<target>/),
# where ./mvnw verify replays it from then on: fix the code, commit the input with the fix, and add a line
# to bench/fuzz-findings.tsv. At the end it prints that ledger, each finding with the commit that fixed it.
# Logs and the summary go to bench/results/fuzz-<time>/. KEEP_GOING (default 20): findings per target
# before it stops. Generated corpora stay in .cifuzz-corpus/ (ignored by git) and seed the next run;
# KEEP_CORPUS=1 also copies them (up to KEEP_CORPUS_MAX=300 files of under 64 KB per target) into the
# inputs directories as corpus-*, to be committed and replayed by ./mvnw verify.
set -uo pipefail
cd "$(dirname "$0")/.."

# The default set: 15 minutes of fuzzing (7m + 4m over HTTP, 30s for each parser). nestedConfigs,
# nulCharacters and auditFilters check exact answers and are replayed by ./mvnw verify; name them to
# fuzz them too (each starts the service again, minutes on a busy machine).
ALL_TARGETS=(
  'dev.agentapi.fuzz.HostileInputTest#rawRequests'
  'dev.agentapi.fuzz.HostileInputTest#bodies'
  'dev.agentapi.ratelimit.RateLimitPolicyFuzzTest#sentences'
  'dev.agentapi.database.DatabaseUrlFuzzTest#anyValue'
  'dev.agentapi.database.DatabaseUrlFuzzTest#passwordsNeverShow'
  'dev.agentapi.redis.RedisUrlFuzzTest#passwordsNeverShow'
  'dev.agentapi.security.ApiKeyEntryFuzzTest#entries'
  'dev.agentapi.browser.NavigationFuzzTest#anyUrl'
  'dev.agentapi.browser.NavigationFuzzTest#spellingsOfOneUrlAgree'
  'dev.agentapi.browser.BrowserActionFuzzTest#actionBodies'
)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL_TARGETS[@]}")

out="bench/results/fuzz-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
echo "Compiling..."
./mvnw -q -B test-compile || exit 1

start=$(date +%s)
total_runs=0
total_failures=0
printf '%-58s %10s %8s %9s %s\n' target inputs seconds failures result | tee "$out/summary.txt"
for target in "${TARGETS[@]}"; do
  name=${target##*.}
  log="$out/${name/\#/-}.log"
  t0=$(date +%s)
  JAZZER_FUZZ=1 ./mvnw -o -q -B surefire:test@fuzz-regression -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.keep_going="${KEEP_GOING:-20}" -DargLine=-Xmx1g >"$log" 2>&1
  rc=$?
  seconds=$(( $(date +%s) - t0 ))
  # libFuzzer's last word: "Done N runs in S second(s)"; if it died before that, its last status line "#N ..."
  runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+')
  [ -z "$runs" ] && runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  runs=${runs:-0}
  failures=$(grep -aoE 'DEDUP_TOKEN: [0-9a-f]+' "$log" | sort -u | wc -l)
  # a finding (even one the JUnit report lost: a fork killed by libFuzzer still reports BUILD SUCCESS), or a failed build
  if [ $rc -ne 0 ] || [ "$failures" -gt 0 ]; then result="FAILED (see $log)"
  elif [ "$runs" -eq 0 ]; then result="did not fuzz (see $log)"
  else result=passed; fi
  total_runs=$((total_runs + runs)); total_failures=$((total_failures + failures))
  printf '%-58s %10d %8d %9d %s\n' "$name" "$runs" "$seconds" "$failures" "$result" | tee -a "$out/summary.txt"
done
elapsed=$(( $(date +%s) - start ))
printf '%-58s %10d %8d %9d\n' 'total' "$total_runs" "$elapsed" "$total_failures" | tee -a "$out/summary.txt"

if [ -n "${KEEP_CORPUS:-}" ]; then
  # the generated corpus becomes part of what ./mvnw verify replays (inputs that reached new code)
  for target in "${TARGETS[@]}"; do
    class=${target%%#*}; method=${target##*#}
    inputs="src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
    mkdir -p "$inputs"
    find ".cifuzz-corpus/$class/$method" -type f -size -64k 2>/dev/null | head -n "${KEEP_CORPUS_MAX:-300}" |
      while read -r f; do cp -n "$f" "$inputs/corpus-$(basename "$f")"; done
  done
fi

echo | tee -a "$out/summary.txt"
new=$(git status --porcelain --untracked-files=all -- 'src/test/resources/**/*Inputs/**' | awk '{print $2}' | grep -v '/corpus-')
if [ -n "$new" ]; then
  echo "New failing inputs (not fixed yet; each is now a regression input for ./mvnw verify):" | tee -a "$out/summary.txt"
  echo "$new" | sed 's/^/  /' | tee -a "$out/summary.txt"
else
  echo "No new failing inputs." | tee -a "$out/summary.txt"
fi

echo | tee -a "$out/summary.txt"
echo "Failures found so far and where each was fixed (bench/fuzz-findings.tsv):" | tee -a "$out/summary.txt"
tail -n +2 bench/fuzz-findings.tsv | while IFS=$'\t' read -r input what fix; do
  commit=$(git log --diff-filter=A --format='%h %s' -1 -- "$input" 2>/dev/null | cut -c1-60)
  printf '  %s\n    %s\n    fixed in %s (%s)\n' "$input" "$what" "$fix" "${commit:-input not committed}"
done | tee -a "$out/summary.txt"
echo "Summary: $out/summary.txt"
