# specflow-hook: the phase gate's git hook shim (POSIX sh). Installed by `specflow init`.
#
# It is sourced, not run: `. "$(dirname -- "$0")/specflow.sh"` from a git hook (a husky
# `.husky/<hook>` file, or the small hook files specflow installs), so it sees the hook's
# name in $0 and git's arguments in "$@", and on success it returns to the lines after it.
# On a refused commit or push it exits 1.
#
# - pre-commit, pre-merge-commit, commit-msg: when neither .maestro/ledger.yaml nor
#   .maestro/config.yaml is staged there is nothing to check, and Node is not started.
# - pre-push: reads git's list of pushed refs, lets specflow check it, then hands the same
#   input on to whatever runs after this line (git lfs pre-push, your own hook).
# - SPECFLOW_SKIP=1 skips the check (CI's `specflow verify` still catches what was skipped).
# - specflow is looked up in node_modules (the repository's), then on PATH. When it is not
#   there and something needs checking, the hook fails closed with a one-line fix.

specflow_hook=${0##*/}

# Runs the Node side: `node <pkg>/dist/hook.js` when it can be found (skips the CLI parser),
# else `specflow hook`.
specflow_run() {
  if [ -f node_modules/specflowd/dist/hook.js ] && command -v node >/dev/null 2>&1; then
    node node_modules/specflowd/dist/hook.js "$specflow_hook" "$@"
  elif [ -x node_modules/.bin/specflow ]; then
    node_modules/.bin/specflow hook "$specflow_hook" "$@"
  elif command -v specflow >/dev/null 2>&1; then
    specflow hook "$specflow_hook" "$@"
  elif [ -f dist/hook.js ] && [ -f bin/specflow.js ] && grep -q '"name": *"specflowd"' package.json 2>/dev/null; then
    # A checkout of specflowd itself checks its own commits with its own build.
    node dist/hook.js "$specflow_hook" "$@"
  else
    echo "specflow: cannot check this $specflow_hook: specflow is not installed. Fix: npm install --save-dev specflowd (or skip once: SPECFLOW_SKIP=1 git ...)" >&2
    return 1
  fi
}

specflow_staged() {
  # Exit status 1 means "differs"; anything else but 0 (no HEAD yet, odd state) also counts as
  # staged, so the Node side decides.
  if git diff --cached --quiet -- .maestro/ledger.yaml .maestro/config.yaml 2>/dev/null; then return 1; fi
  return 0
}

if [ "${SPECFLOW_SKIP:-}" = 1 ]; then
  echo "specflow: SPECFLOW_SKIP=1, $specflow_hook phase check skipped (specflow verify in CI still checks)" >&2
else
  case $specflow_hook in
    pre-commit | pre-merge-commit | commit-msg)
      if specflow_staged; then
        specflow_run "$@" || exit 1
      fi
      ;;
    pre-push)
      specflow_input=$(mktemp 2>/dev/null || echo "${TMPDIR:-/tmp}/specflow-pre-push.$$")
      cat >"$specflow_input"
      if [ -s "$specflow_input" ]; then
        specflow_run "$@" <"$specflow_input" || {
          rm -f "$specflow_input"
          exit 1
        }
      fi
      # Give the same input to the commands after this one; the open file outlives its name.
      exec <"$specflow_input"
      rm -f "$specflow_input"
      ;;
  esac
fi
unset specflow_hook specflow_input
unset -f specflow_run specflow_staged
