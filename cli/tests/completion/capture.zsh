# Called by complete.sh: types LINE and TAB into an interactive zsh on a pseudo-terminal, with
# compinit and the completion functions in FPATH_DIR, and prints every candidate compadd is
# given for that position, one per line.
#   zsh -f capture.zsh FPATH_DIR LINE
zmodload zsh/zpty || exit 1
fpath_dir="$1" line="$2"
zpty z zsh -f -i || exit 1
# The shell under test: no prompt, no beeps, the completion system with our function only, and
# compadd wrapped to print what it would offer, and a marker printed when completion is done.
zpty -w z "PROMPT= RPROMPT= PS2=; unsetopt beep zle_bracketed_paste; fpath=($fpath_dir \$fpath)"
zpty -w z 'autoload -U compinit && compinit -u -D'
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' select-prompt ''; LISTMAX=0"
zpty -w z 'compadd() {
  if [[ ${(j: :)@} == *-[OAD]\ * ]]; then builtin compadd "$@"; return; fi
  local -a __hits; builtin compadd -A __hits "$@"
  (( $#__hits )) && print -r -l -- "" ${__hits/#/CANDIDATE:} >/dev/tty
  builtin compadd "$@"
}'
zpty -w z 'comppostfuncs=(__done); __done() { print -r -- COMPLETION-DONE >/dev/tty; }'
zpty -w z 'zstyle ":completion:*" completer _complete; print -r -- READY-FOR-TAB'
zpty -r z out '*READY-FOR-TAB*' || exit 1
zpty -n -w z "$line"$'\t'
# Everything the terminal shows until the end marker, polled (at most 20 s).
out=""
for _ in {1..400}; do
    while zpty -r -t z chunk; do out+="$chunk"; done
    [[ "$out" == *COMPLETION-DONE* ]] && break
    sleep 0.05
done
[[ "$out" == *COMPLETION-DONE* ]] || { print -u2 "zsh: no completion ran: $out"; exit 1; }
zpty -d z
for l in ${(f)out}; do
    l="${l//$'\r'/}"
    [[ "$l" == CANDIDATE:* ]] && print -r -- "${l#CANDIDATE:}"
done
exit 0
