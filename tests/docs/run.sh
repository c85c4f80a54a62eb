#!/bin/sh
# tests/docs/run.sh [BINARY] - the documentation agrees with the code (like
# curl's test1139): every long option of the table in src/options.c is in
# the man page, in --help and in both completions, and nothing documented
# there is missing from the table; the man page's OPTIONS section is what
# tools/gen-man.py makes; the man page renders without warnings; both
# completions are run (bash sourced, zsh autoloaded by compinit in `zsh -f`
# through tests/docs/zsh_completion.zsh) and offer exactly the options of
# --help, the commands, the providers of checks/ and the check IDs; `make install DESTDIR=...` installs the
# binary, the rule files, the check pages, the man page and the completions,
# and the installed binary runs from there.
#
# Prints "ok"/"not ok" lines and "N passed, N failed".

cd "$(dirname "$0")/../.." || exit 2
bin=${1:-./hookdoctor}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hookdoctor-docs.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
notok() { echo "not ok - $1"; fail=$((fail + 1)); }

# The long options and the commands, as the table declares them.
sed -n '/opt_table\[\] = {/,/^};/p' src/options.c |
	sed -n 's/^[[:space:]]*{"\([a-z0-9-]*\)",.*/\1/p' | sort -u >"$tmp/opts"
sed -n 's/^static const char \*const commands\[\] = {\(.*\)};/\1/p' src/options.c |
	tr -d '" ' | tr ',' '\n' | sed '/^$/d' | sort -u >"$tmp/cmds"
[ -s "$tmp/opts" ] && ok "options.c declares $(wc -l <"$tmp/opts") long options" ||
	notok "no long option found in src/options.c"
[ -s "$tmp/cmds" ] && ok "options.c declares the commands: $(tr '\n' ' ' <"$tmp/cmds")" ||
	notok "no command found in src/options.c"

"$bin" --help >"$tmp/help" 2>&1
man=docs/hookdoctor.1
missing_man= missing_help= missing_bash= missing_zsh=
while read -r o; do
	roff=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
	grep -q "\\\\-\\\\-$roff\\b" "$man" || missing_man="$missing_man --$o"
	grep -q -- "--$o\\b" "$tmp/help" || missing_help="$missing_help --$o"
	grep -q -- "--$o\\b" docs/completion/hookdoctor.bash || missing_bash="$missing_bash --$o"
	grep -q -- "--$o\\b" docs/completion/_hookdoctor || missing_zsh="$missing_zsh --$o"
done <"$tmp/opts"
[ -z "$missing_man" ] && ok "every long option is in docs/hookdoctor.1" ||
	notok "options missing from docs/hookdoctor.1 (make man):$missing_man"
[ -z "$missing_help" ] && ok "every long option is in --help" ||
	notok "options missing from --help:$missing_help"
[ -z "$missing_bash" ] && ok "every long option is in the bash completion" ||
	notok "options missing from docs/completion/hookdoctor.bash:$missing_bash"
[ -z "$missing_zsh" ] && ok "every long option is in the zsh completion" ||
	notok "options missing from docs/completion/_hookdoctor:$missing_zsh"

# The other way round: the man page documents no option that is gone.
sed -n '/BEGIN OPTIONS/,/END OPTIONS/p' "$man" |
	grep -o '\\-\\-[a-z0-9\\-]*' | sed 's/\\//g; s/^--//' | sort -u >"$tmp/manopts"
stale=$(comm -23 "$tmp/manopts" "$tmp/opts" | tr '\n' ' ')
[ -z "$stale" ] && ok "the man page documents no option options.c lacks" ||
	notok "docs/hookdoctor.1 documents options that do not exist: $stale"
if python3 tools/gen-man.py --check 2>"$tmp/gen.err"; then
	ok "the man page's OPTIONS is what tools/gen-man.py makes from options.c"
else
	notok "$(cat "$tmp/gen.err")"
fi
missing=
while read -r c; do
	grep -q "^\.B.*$c\|^\.B $c" "$man" || missing="$missing $c"
done <"$tmp/cmds"
[ -z "$missing" ] && ok "every command is in the man page" ||
	notok "commands missing from the man page:$missing"

if command -v groff >/dev/null 2>&1; then
	if groff -man -Tutf8 -ww -z "$man" >"$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ]; then
		ok "the man page renders without warnings"
	else
		notok "groff warns about the man page: $(head -c 400 "$tmp/groff")"
	fi
fi

# bash completion: run the function as bash would.
mkdir -p "$tmp/bin" && ln -s "$bin" "$tmp/bin/hookdoctor"
complete_words() {
	PATH=$tmp/bin:$PATH bash -c '
		. docs/completion/hookdoctor.bash
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_hookdoctor
		printf "%s\n" "${COMPREPLY[@]}"' bash "$@"
}
# The options --help prints (its table is options.c's): long and short.
sed -n '/^options:/,/^$/p' "$tmp/help" | grep -o -- '^ *\(-[a-zA-Z], \)\{0,1\}--[a-z0-9-]*' |
	grep -o -- '--[a-z0-9-]*' | sort -u >"$tmp/help-long"
sed -n '/^options:/,/^$/p' "$tmp/help" | grep -o -- '^ *-[a-zA-Z],' | tr -d ' ,' |
	sort -u >"$tmp/help-short"
cat "$tmp/help-long" "$tmp/help-short" | sort -u >"$tmp/help-all"
[ "$(wc -l <"$tmp/help-long")" -eq "$(wc -l <"$tmp/opts")" ] &&
	ok "--help lists $(wc -l <"$tmp/opts") long and $(wc -l <"$tmp/help-short") short options" ||
	notok "--help lists $(wc -l <"$tmp/help-long") long options, options.c $(wc -l <"$tmp/opts")"
# The providers are the rule files; the checks are what `checks` lists.
for f in checks/*.json; do basename "$f" .json; done | sort >"$tmp/providers"
"$bin" checks 2>/dev/null | awk 'NR > 1 { print $1 }' | sort >"$tmp/ids"
# same WHAT FILE_A FILE_B: ok when the two sorted lists are equal and not
# empty (two empty lists would only say that both extractions failed).
same() {
	if [ ! -s "$3" ]; then
		notok "$1: the expected list ($(basename "$3")) is empty"
	elif cmp -s "$2" "$3"; then
		ok "$1"
	else
		notok "$1: $(diff "$2" "$3" | grep '^[<>]' | tr '\n' ' ' | head -c 300)"
	fi
}

if ! command -v bash >/dev/null 2>&1; then
	notok "bash is not installed: the bash completion cannot be run"
else
	bash -n docs/completion/hookdoctor.bash 2>"$tmp/bash.err" && [ ! -s "$tmp/bash.err" ] &&
		ok "the bash completion parses (bash -n)" ||
		notok "bash -n docs/completion/hookdoctor.bash: $(head -c 300 "$tmp/bash.err")"
	bash -c '. docs/completion/hookdoctor.bash && complete -p hookdoctor' \
		>"$tmp/bash.complete" 2>&1
	grep -q -- '-F _hookdoctor hookdoctor$' "$tmp/bash.complete" &&
		ok "sourcing the bash completion registers _hookdoctor for hookdoctor" ||
		notok "bash completion registration: $(head -c 300 "$tmp/bash.complete")"
	complete_words hookdoctor check - 2>"$tmp/bash.err" | sort -u >"$tmp/bash-opts"
	same "bash completion offers exactly the long options of --help (bash completion < > --help)" \
		"$tmp/bash-opts" "$tmp/help-long"
	[ ! -s "$tmp/bash.err" ] && ok "the bash completion runs without errors" ||
		notok "the bash completion wrote to stderr: $(head -c 300 "$tmp/bash.err")"
	complete_words hookdoctor check --provider "" | sort >"$tmp/bash-prov"
	same "bash completion offers the providers of checks/*.json for --provider" \
		"$tmp/bash-prov" "$tmp/providers"
	complete_words hookdoctor "" >"$tmp/c1"
	missing=$(while read -r c; do grep -qx "$c" "$tmp/c1" || printf ' %s' "$c"; done <"$tmp/cmds")
	[ -z "$missing" ] && ok "bash completion lists every command" ||
		notok "bash completion does not list:$missing"
	complete_words hookdoctor check --for >"$tmp/c2"
	grep -qx -- "--format" "$tmp/c2" && ok "bash completion completes --for to --format" ||
		notok "bash completion: --for gave $(tr '\n' ' ' <"$tmp/c2")"
	complete_words hookdoctor check --format "" >"$tmp/c3"
	[ "$(sort "$tmp/c3" | tr '\n' ' ')" = "json junit markdown sarif text " ] &&
		ok "bash completion offers the five formats" ||
		notok "bash completion: --format gave $(tr '\n' ' ' <"$tmp/c3")"
	complete_words hookdoctor explain HD30 >"$tmp/c4"
	grep -qx HD308 "$tmp/c4" && ok "bash completion completes explain HD30 to the check IDs" ||
		notok "bash completion: explain HD30 gave $(tr '\n' ' ' <"$tmp/c4")"
fi
# zsh completion: autoloaded by compinit in a non-interactive `zsh -f`,
# and run with _arguments/_describe stubs that print what it offers
# (tests/docs/zsh_completion.zsh).
if ! command -v zsh >/dev/null 2>&1; then
	notok "zsh is not installed (make deps installs it): the zsh completion cannot be run"
else
	zsh -n docs/completion/_hookdoctor && ok "the zsh completion parses" ||
		notok "zsh -n docs/completion/_hookdoctor"
	PATH=$tmp/bin:$PATH zsh -f tests/docs/zsh_completion.zsh docs/completion \
		>"$tmp/zsh.out" 2>"$tmp/zsh.err"
	rc=$?
	[ "$rc" -eq 0 ] && [ ! -s "$tmp/zsh.err" ] &&
		ok "the zsh completion loads and runs in zsh -f without errors" ||
		notok "the zsh completion in zsh -f: exit $rc: $(head -c 300 "$tmp/zsh.err")"
	grep -qx 'compdef hookdoctor=_hookdoctor' "$tmp/zsh.out" &&
		ok "compinit registers _hookdoctor for hookdoctor (#compdef)" ||
		notok "compinit: $(grep '^compdef' "$tmp/zsh.out")"
	grep -q '^defined .*\b_hookdoctor\b' "$tmp/zsh.out" &&
		ok "the zsh completion defines _hookdoctor" ||
		notok "the zsh completion does not define _hookdoctor"
	sed -n 's/^option //p' "$tmp/zsh.out" | sort -u >"$tmp/zsh-opts"
	same "zsh completion offers exactly the options of --help (zsh completion < > --help)" \
		"$tmp/zsh-opts" "$tmp/help-all"
	sed -n 's/^command //p' "$tmp/zsh.out" | sort -u >"$tmp/zsh-cmds"
	same "zsh completion offers exactly the commands of options.c" "$tmp/zsh-cmds" "$tmp/cmds"
	sed -n 's/^value --provider //p' "$tmp/zsh.out" | sort >"$tmp/zsh-prov"
	same "zsh completion offers the providers of checks/*.json for --provider" \
		"$tmp/zsh-prov" "$tmp/providers"
	sed -n 's/^value --format //p' "$tmp/zsh.out" | sort | tr '\n' ' ' >"$tmp/zsh-fmt"
	[ "$(cat "$tmp/zsh-fmt")" = "json junit markdown sarif text " ] &&
		ok "zsh completion offers the five formats" ||
		notok "zsh completion: --format gave $(cat "$tmp/zsh-fmt")"
	sed -n 's/^check //p' "$tmp/zsh.out" | sort -u >"$tmp/zsh-ids"
	same "zsh completion completes explain to every check ID" "$tmp/zsh-ids" "$tmp/ids"
fi
grep -q '^#compdef hookdoctor' docs/completion/_hookdoctor &&
	ok "the zsh completion declares #compdef hookdoctor" ||
	notok "docs/completion/_hookdoctor lacks #compdef"

# make install into a scratch root.
dest=$tmp/root
if make --no-print-directory -s install DESTDIR="$dest" PREFIX=/usr/local \
	>"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=... succeeds"
else
	notok "make install: $(tail -c 400 "$tmp/install.log")"
fi
for f in bin/hookdoctor share/hookdoctor/checks/github.json \
	share/hookdoctor/docs/checks/HD308.md share/man/man1/hookdoctor.1 \
	share/bash-completion/completions/hookdoctor \
	share/zsh/site-functions/_hookdoctor; do
	[ -f "$dest/usr/local/$f" ] && ok "installed: $f" || notok "not installed: $f"
done
if [ -x "$dest/usr/local/bin/hookdoctor" ]; then
	out=$(HOOKDOCTOR_DATADIR="$dest/usr/local/share/hookdoctor" \
		"$dest/usr/local/bin/hookdoctor" explain HD308 2>&1)
	case $out in
	"# HD308"*) ok "the installed hookdoctor explains HD308 from the installed pages" ;;
	*) notok "installed explain HD308: $(printf '%s' "$out" | head -c 200)" ;;
	esac
	HOOKDOCTOR_DATADIR="$dest/usr/local/share/hookdoctor" \
		"$dest/usr/local/bin/hookdoctor" check --offline \
		--file tests/cases/hooks/github-ok.json >/dev/null 2>&1
	[ $? = 0 ] && ok "the installed hookdoctor checks a hook with the installed rules" ||
		notok "the installed hookdoctor cannot check a hook"
fi
[ -s docs/troubleshooting.md ] && grep -q '^# My commit status does not update' docs/troubleshooting.md &&
	ok "docs/troubleshooting.md is there" || notok "docs/troubleshooting.md is missing"
# The guide walks the catalogue: every check ID appears in it.
missing=$("$bin" checks 2>/dev/null | awk 'NR > 1 { print $1 }' |
	while read -r id; do grep -q "$id" docs/troubleshooting.md || printf ' %s' "$id"; done)
[ -z "$missing" ] && ok "the troubleshooting guide names every check" ||
	notok "checks the troubleshooting guide does not name:$missing"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
