#!/usr/bin/env zsh -f
# tests/docs/zsh_completion.zsh COMPLETION_DIR - runs docs/completion/_hookdoctor
# in a non-interactive `zsh -f`, as the completion system would, and prints
# what it offers, for tests/docs/run.sh to compare with `hookdoctor --help`:
#
#   compdef hookdoctor=FUNCTION   what compinit registered from #compdef
#   defined FUNCTION...           the functions the file defines
#   option -f                     one line per option _arguments is given
#   command check                 one line per command it describes
#   check HD308                   one line per check ID _hookdoctor_checks lists
#   value --format text           one line per fixed value of an option
#
# _arguments, _describe and _files are replaced by stubs that print their
# arguments: outside a completion widget (no ZLE here) the real ones
# cannot run, and what is tested is what the file hands them. Any error
# zsh reports goes to standard error, which run.sh requires to be empty.
emulate -L zsh

dir=${1:?usage: zsh_completion.zsh COMPLETION_DIR}
fpath=($dir $fpath)
autoload -Uz compinit
# -u: use the files even if insecure (a root-owned checkout); -d: a private dump
compinit -u -d "${TMPDIR:-/tmp}/hookdoctor-zcompdump.$$"
rm -f "${TMPDIR:-/tmp}/hookdoctor-zcompdump.$$"
print -r -- "compdef hookdoctor=${_comps[hookdoctor]-}"

_arguments() {
	local spec name vals v c
	for spec in "$@"; do
		# flags of _arguments itself (-s, -S, -C...)
		[[ $spec == -[a-zA-Z] ]] && continue
		# '(exclusions)', then a '*' for repeatable options
		spec=${spec#\(*\)}
		spec=${spec#\*}
		[[ $spec == -* ]] || continue
		name=${spec%%[\[:=+]*}
		print -r -- "option $name"
		# a fixed list of values: ...:description:(a b c)
		if [[ $spec == *:\(*\) ]]; then
			vals=${${spec##*:\(}%\)}
			for v in ${=vals}; do
				print -r -- "value $name $v"
			done
		fi
	done
	# the commands array is _hookdoctor's local (zsh scoping is dynamic)
	for c in "${commands[@]}"; do
		print -r -- "command ${c%%:*}"
	done
	# as for `hookdoctor explain HD<TAB>`: the '*:: :->args' state
	state=args
	words=(explain HD)
	return 1
}
_describe() {
	# _describe -t TAG DESCRIPTION ARRAY_NAME
	local c
	for c in "${(@P)4}"; do
		print -r -- "check ${c%%:*}"
	done
}
_files() { :; }

# Autoloading runs the file: it defines its functions, then completes.
_hookdoctor || { print -u2 "_hookdoctor returned $?"; exit 1; }
print -r -- "defined ${(ok)functions[(I)_hookdoctor*]}"
