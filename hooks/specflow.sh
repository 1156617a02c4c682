#!/bin/sh
# specflow-hook: the phase gate's git hook shim (POSIX sh). Installed by `specflow init`.
#
# Sourced from a git hook — `. "${0%/*}/specflow.sh"` in a husky `.husky/<hook>`
# file or in the small hook files specflow installs — it sees the hook's name in $0 and git's
# arguments in "$@"; on success it returns to the lines after it, on a refusal it exits 1.
#
# - pre-commit, pre-merge-commit: when nothing under .maestro/ or the specs folder is staged
#   there is nothing to check, and Node is not started. commit-msg starts Node only when the
#   pre-commit of the same commit saw something staged.
# - pre-push: reads git's list of pushed refs, lets specflow check it, then hands the same
#   input on to whatever runs after this line (git lfs pre-push, your own hook).
# - SPECFLOW_SKIP=1 skips the check (CI's `specflow verify` still catches what was skipped).
# - specflow is looked up in the repository's node_modules, then on PATH. When it is not there
#   and something needs checking, the hook fails closed with a one-line fix.
#
# Hook managers that run commands rather than hook files (lefthook, the pre-commit framework)
# name the hook: `sh specflow.sh hook pre-push "$@"`. The pre-commit framework hands pre-push
# no stdin; it names one pushed ref in PRE_COMMIT_* variables, read here instead.
#
# Run as a command instead (`sh specflow.sh merge-ledger %O %A %B`), it is the ledger's merge
# driver with the same lookup; without specflow it falls back to git's line merge.

# Runs `specflow "$@"` from wherever it is installed; 127 when it is nowhere.
specflow_cli() {
  if [ -x node_modules/.bin/specflow ]; then
    node_modules/.bin/specflow "$@"
  elif [ -f node_modules/specflowd/bin/specflow.js ]; then
    node node_modules/specflowd/bin/specflow.js "$@"
  elif command -v specflow >/dev/null 2>&1; then
    specflow "$@"
  elif [ -f bin/specflow.js ] && grep -q '"name": *"specflowd"' package.json 2>/dev/null; then
    # A checkout of specflowd itself uses its own build.
    node bin/specflow.js "$@"
  else
    return 127
  fi
}

# Runs the hook's Node side: the bundled `dist/hook.cjs` straight with node when it is there
# (no command-line parser to load), else `specflow hook`.
specflow_run() {
  if [ -f node_modules/specflowd/dist/hook.cjs ] && command -v node >/dev/null 2>&1; then
    node node_modules/specflowd/dist/hook.cjs "$specflow_hook" "$@"
  else
    specflow_cli hook "$specflow_hook" "$@"
    specflow_status=$?
    if [ "$specflow_status" = 127 ]; then
      echo "specflow: cannot check this $specflow_hook: specflow is not installed. Fix: npm install --save-dev specflowd (or skip once: SPECFLOW_SKIP=1 git ...)" >&2
    fi
    return "$specflow_status"
  fi
}

# A path from the config, as the shell reads it: comment and blanks trimmed, quotes taken off;
# empty when it holds anything but letters, digits, `.`, `_`, `-` and `/` inside the repository.
specflow_config_path() {
  specflow_path=${1%%#*}
  specflow_path=${specflow_path#"${specflow_path%%[! ]*}"}
  specflow_path=${specflow_path%"${specflow_path##*[! ]}"}
  case $specflow_path in
    \"*\") specflow_path=${specflow_path#\"}; specflow_path=${specflow_path%\"} ;;
    \'*\') specflow_path=${specflow_path#\'}; specflow_path=${specflow_path%\'} ;;
  esac
  case $specflow_path in
    "" | *[!A-Za-z0-9._/-]* | /* | ..* | */..*) specflow_path= ;;
  esac
}

# The folders of feature folders named in .maestro/config.yaml (`specs_dir:`, the paths under
# `roots:`, or the layout's default folder), read with the shell alone and space-separated;
# empty when the config holds something this reader does not follow (then everything counts).
specflow_specs_dir() {
  specflow_specs=.specify/specs
  if [ -L .maestro ] || [ -L .maestro/config.yaml ]; then specflow_specs=; return; fi
  [ -f .maestro/config.yaml ] || return 0
  specflow_main=
  specflow_layout=
  specflow_roots=
  specflow_in_roots=
  while IFS= read -r specflow_line || [ -n "$specflow_line" ]; do
    if [ -n "$specflow_in_roots" ]; then
      case $specflow_line in
        "" | "#"* | " "*"#"*) continue ;;
        "  - path:"* | "  - "*)
          specflow_entry=${specflow_line#"  - "}
          case $specflow_entry in path:*) specflow_entry=${specflow_entry#path:} ;; *:*) specflow_specs=; return 0 ;; esac
          specflow_config_path "$specflow_entry"
          [ -n "$specflow_path" ] || { specflow_specs=; return 0; }
          specflow_roots="$specflow_roots $specflow_path"
          continue
          ;;
        "    qualifier:"* | "    archive:"*) continue ;;
        " "*) specflow_specs=; return 0 ;;
        *) specflow_in_roots= ;;
      esac
    fi
    case $specflow_line in
      specs_dir:*)
        specflow_config_path "${specflow_line#specs_dir:}"
        [ -n "$specflow_path" ] || { specflow_specs=; return 0; }
        specflow_main=$specflow_path
        ;;
      layout:*)
        specflow_config_path "${specflow_line#layout:}"
        specflow_layout=${specflow_path:-?}
        ;;
      roots:*)
        case ${specflow_line#roots:} in
          "" | " " | " #"* | "#"*) specflow_in_roots=1 ;;
          " []" | " [] #"*) ;;
          *) specflow_specs=; return 0 ;;
        esac
        ;;
      " "*specs_dir:* | *"{"*specs_dir* | *"{"*roots* | " "*roots:* | " "*layout:*) specflow_specs=; return 0 ;;
    esac
  done <.maestro/config.yaml
  if [ -z "$specflow_main" ]; then
    case $specflow_layout in
      "" | specflow) specflow_main=.specify/specs ;;
      spec-kit) specflow_main=specs ;;
      kiro) specflow_main=.kiro/specs ;;
      openspec) specflow_main=openspec/changes ;;
      *) specflow_specs=; return 0 ;;
    esac
  fi
  specflow_specs="$specflow_main$specflow_roots"
}

# Is anything of specflow's part of what is being committed: .maestro/ (the ledger, the
# config) or the specs folder (a feature's documents, which must still pass the gates of its
# phase)? Exit status 1 from git means "differs"; any other failure (no HEAD yet, an odd state)
# also counts as staged, so the Node side decides. Plumbing, one process: this is all a commit
# that leaves specflow's files alone pays.
specflow_staged() {
  specflow_specs_dir
  if [ -n "$specflow_specs" ]; then
    # Unquoted on purpose: the folders are space-separated and hold no space or glob character.
    # shellcheck disable=SC2086
    if git diff-index --cached --quiet HEAD -- .maestro $specflow_specs 2>/dev/null; then return 1; fi
  elif git diff-index --cached --quiet HEAD -- 2>/dev/null; then return 1; fi
  return 0
}

# What the pre-commit framework's pre-push stage says is pushed, as git's pre-push input: one
# line, `<local ref> <local id> <remote ref> <remote id>`. Without PRE_COMMIT_FROM_REF (a push
# that starts at a root commit) the remote has nothing of it: an all-zero id, a new ref.
specflow_framework_push() {
  specflow_local=${PRE_COMMIT_LOCAL_BRANCH:-HEAD}
  specflow_to=${PRE_COMMIT_TO_REF:-}
  if [ -z "$specflow_to" ]; then
    specflow_to=$(git rev-parse --verify -q "$specflow_local^{commit}") || return 1
  fi
  specflow_from=${PRE_COMMIT_FROM_REF:-}
  [ -n "$specflow_from" ] || specflow_from=$(printf '%s' "$specflow_to" | tr '0-9a-f' '0')
  printf '%s %s %s %s\n' "$specflow_local" "$specflow_to" "${PRE_COMMIT_REMOTE_BRANCH:-$specflow_local}" "$specflow_from"
}

specflow_hook=${0##*/}

if [ "$specflow_hook" = specflow.sh ] && [ "${1:-}" = hook ]; then
  # Run by a hook manager, which names the hook: `sh specflow.sh hook <name> [git's arguments]`.
  if [ $# -lt 2 ]; then
    echo "specflow.sh: name the hook: sh specflow.sh hook pre-commit|pre-merge-commit|commit-msg|pre-push" >&2
    exit 2
  fi
  specflow_hook=$2
  shift 2
  case $specflow_hook in
    pre-commit | pre-merge-commit | commit-msg | pre-push) ;;
    *)
      echo "specflow.sh: unknown hook \"$specflow_hook\" (pre-commit, pre-merge-commit, commit-msg or pre-push)" >&2
      exit 2
      ;;
  esac
fi

if [ "$specflow_hook" = specflow.sh ]; then
  # Run as a command: `sh specflow.sh merge-ledger %O %A %B`.
  if [ "${1:-}" = merge-ledger ]; then
    specflow_cli "$@"
    specflow_status=$?
    if [ "$specflow_status" = 127 ]; then
      echo "specflow: not installed; merging .maestro/ledger.yaml line by line" >&2
      exec git merge-file -L ours -L base -L theirs "$3" "$2" "$4"
    fi
    exit "$specflow_status"
  fi
  echo "specflow.sh: source it from a git hook, or run: sh specflow.sh merge-ledger %O %A %B" >&2
  exit 2
elif [ "${SPECFLOW_SKIP:-}" = 1 ]; then
  echo "specflow: SPECFLOW_SKIP=1, $specflow_hook phase check skipped (specflow verify in CI still checks)" >&2
else
  # A note from pre-commit to commit-msg, in the git directory of the index being committed:
  # "the ledger is staged, look for phase changes to record as trailers". It spares ordinary
  # commits a second git process in commit-msg; a stale note only costs commit-msg a look.
  case ${GIT_INDEX_FILE:-} in
    */*) specflow_note="${GIT_INDEX_FILE%/*}/specflow-commit-note" ;;
    *) specflow_note=.git/specflow-commit-note ;;
  esac
  case $specflow_hook in
    pre-commit | pre-merge-commit)
      if specflow_staged; then
        true 2>/dev/null >"$specflow_note" || :
        specflow_run "$@" || {
          rm -f "$specflow_note"
          exit 1
        }
      elif [ -f "$specflow_note" ]; then
        rm -f "$specflow_note"
      fi
      ;;
    commit-msg)
      if [ -f "$specflow_note" ]; then
        rm -f "$specflow_note"
        specflow_run "$@" || exit 1
      fi
      ;;
    pre-push)
      specflow_input=$(mktemp 2>/dev/null || echo "${TMPDIR:-/tmp}/specflow-pre-push.$$")
      if [ -n "${PRE_COMMIT_REMOTE_NAME:-}${PRE_COMMIT_TO_REF:-}" ]; then
        # Under the pre-commit framework: no stdin, the pushed ref is in its variables.
        specflow_framework_push >"$specflow_input" || {
          echo "specflow: cannot tell what is pushed (PRE_COMMIT_LOCAL_BRANCH=${PRE_COMMIT_LOCAL_BRANCH:-}); push refused. Skip once: SPECFLOW_SKIP=1 git push" >&2
          rm -f "$specflow_input"
          exit 1
        }
        set -- "${PRE_COMMIT_REMOTE_NAME:-}" "${PRE_COMMIT_REMOTE_URL:-}"
      else
        cat >"$specflow_input"
      fi
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
unset specflow_hook specflow_input specflow_status specflow_note specflow_specs specflow_line specflow_local specflow_to specflow_from specflow_main specflow_layout specflow_roots specflow_in_roots specflow_entry specflow_path
unset -f specflow_cli specflow_run specflow_staged specflow_specs_dir specflow_config_path specflow_framework_push
