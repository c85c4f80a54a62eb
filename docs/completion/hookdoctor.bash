# bash completion for hookdoctor                          -*- shell-script -*-
# Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/hookdoctor.
# tests/docs/run.sh checks that it offers every command and every long
# option of src/options.c.

_hookdoctor()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null 2>&1; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local commands="check render checks explain report probe save"
	local opts="--file --format --only --skip --strict --offline --color
		--quiet --verbose --provider --pipeline --var --event --status
		--as --timeout --cacert --allow-private --hook --action --api-url
		--api-token-file --api-token --force --help --version --send
		--provider-token-file --provider-api-url --output"

	case $prev in
	--format)
		COMPREPLY=($(compgen -W "text json markdown junit sarif" -- "$cur"))
		return ;;
	--as)
		COMPREPLY=($(compgen -W "http curl json" -- "$cur"))
		return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--provider)
		COMPREPLY=($(compgen -W "github gitlab bitbucket-cloud bitbucket-dc azure-devops gitea" -- "$cur"))
		return ;;
	--event)
		COMPREPLY=($(compgen -W "action.status_changed action.queued action.started action.completed action.failed" -- "$cur"))
		return ;;
	--status)
		COMPREPLY=($(compgen -W "pending waiting skipped queued in-progress completed failed" -- "$cur"))
		return ;;
	--only|--skip)
		COMPREPLY=($(compgen -W "$(hookdoctor checks 2>/dev/null | awk 'NR > 1 { print $1 }')" -- "$cur"))
		return ;;
	-f|--file|-o|--output|--cacert|--api-token-file|--provider-token-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--pipeline|--hook|--action|--api-url|--api-token|--provider-api-url|--timeout|--var)
		return ;;
	esac

	# The command: the first word that is not an option.
	local i cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--format|--as|--color|--provider|--event|--status|--only|--skip|\
		-f|--file|-o|--output|--cacert|--api-token-file|\
		--provider-token-file|--pipeline|--hook|--action|--api-url|\
		--api-token|--provider-api-url|--timeout|--var)
			((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	elif [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur") $(compgen -f -- "$cur"))
	elif [[ $cmd == explain ]]; then
		COMPREPLY=($(compgen -W "$(hookdoctor checks 2>/dev/null | awk 'NR > 1 { print $1 }')" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _hookdoctor hookdoctor
