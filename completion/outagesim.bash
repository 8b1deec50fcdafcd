# bash completion for outagesim (and outagesim-mpi)            -*- shell-script -*-
#
# Completes the command, then the options of that command, the values of
# options with a fixed set (--format, --stat), scenario files (*.yaml) and
# results folders, and the names that live in the scenario on the line:
# topologies for --topology, settable paths (`outagesim params SCENARIO`)
# for --set, --vary and --params. Installed by make install as
# share/bash-completion/completions/outagesim (loaded on demand by
# bash-completion); source it by hand otherwise.

_outagesim_scenario()
{
    # The first word after the command that is not an option or an option's
    # value: the scenario the names come from.
    local i w prev=""
    for ((i = 2; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $prev in
        --set | --vary | --params | --topology | --seed | --replications | --threads | \
            --from | --to | --out | --format | --precision | --max-replications | --chunk | \
            --replication | --speed | --metric | --stat | --range | --top | --block | --rows-memory | \
            --risk-years | --incident)
            prev=$w
            continue
            ;;
        esac
        case $w in
        -*) ;;
        *)
            printf '%s\n' "$w"
            return
            ;;
        esac
        prev=$w
    done
}

_outagesim_params()
{
    local sc
    sc=$(_outagesim_scenario)
    [ -n "$sc" ] && [ -r "$sc" ] || return
    "${COMP_WORDS[0]}" params "$sc" 2>/dev/null | sed -n 's/^\([^ ]*\) .*/\1/p'
}

_outagesim()
{
    local cur prev cmd opts
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    local commands="validate params replay run merge plot sweep sensitivity report"

    if [ "$COMP_CWORD" -eq 1 ]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
        return
    fi
    cmd=${COMP_WORDS[1]}

    case $cmd in
    validate) opts="--set --help" ;;
    params) opts="--set --doc --help" ;;
    replay) opts="--topology --seed --replication --speed --format --set --help" ;;
    run)
        opts="--topology --replications --seed --threads --from --to --set --out --format
              --quiet --precision --max-replications --chunk --plots --report --no-wait
              --replications-csv --rows-memory --risk-years --incident --help"
        ;;
    merge) opts="--out --format --quiet --no-wait --help" ;;
    plot) opts="--format --quiet --no-wait --help" ;;
    report) opts="--out --scenario --date --no-pdf --quiet --no-wait --help" ;;
    sweep)
        opts="--vary --replications --seed --topology --set --out --metric --stat --threads
              --block --chunk --no-plots --resume --quiet --no-wait --help"
        ;;
    sensitivity)
        opts="--params --range --metric --stat --topology --replications --seed --set --out
              --top --threads --block --chunk --no-plots --quiet --no-wait --help"
        ;;
    *) return ;;
    esac

    case $prev in
    --format)
        case $cmd in
        plot) mapfile -t COMPREPLY < <(compgen -W "png svg pdf" -- "$cur") ;;
        replay) mapfile -t COMPREPLY < <(compgen -W "text csv" -- "$cur") ;;
        *) mapfile -t COMPREPLY < <(compgen -W "table json csv" -- "$cur") ;;
        esac
        return
        ;;
    --stat)
        mapfile -t COMPREPLY < <(compgen -W "p50 mean p5 p95" -- "$cur")
        return
        ;;
    --out | --resume)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    --scenario)
        mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml)' -- "$cur"; compgen -d -- "$cur")
        compopt -o filenames 2>/dev/null
        return
        ;;
    --date)
        return
        ;;
    --topology)
        local names
        names=$(_outagesim_params | sed -n 's/^topologies\.\([^.]*\)\..*/\1/p' | sort -u)
        [ "$cmd" = replay ] || names="$names all"
        mapfile -t COMPREPLY < <(compgen -W "$names" -- "$cur")
        return
        ;;
    --set | --vary | --params)
        # A path, then '=' and the value (not completed) for --set and --vary.
        local paths suffix="="
        [ "$prev" = --params ] && suffix=""
        paths=$(_outagesim_params)
        mapfile -t COMPREPLY < <(compgen -W "$paths" -S "$suffix" -- "$cur")
        compopt -o nospace 2>/dev/null
        return
        ;;
    --seed | --replications | --threads | --from | --to | --precision | --max-replications | \
        --chunk | --replication | --speed | --metric | --range | --top | --block | --rows-memory | \
        --risk-years | --incident)
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        # shellcheck disable=SC2086 # opts is a word list
        mapfile -t COMPREPLY < <(compgen -W "$(echo $opts)" -- "$cur")
        return
    fi
    case $cmd in
    merge | plot | report)
        # Results folders.
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        compopt -o filenames 2>/dev/null
        ;;
    *)
        # The scenario: YAML files and folders to look in.
        if [ -z "$(_outagesim_scenario)" ]; then
            mapfile -t COMPREPLY < <(compgen -f -X '!*.@(yaml|yml)' -- "$cur"; compgen -d -- "$cur")
            compopt -o filenames 2>/dev/null
        fi
        ;;
    esac
}

complete -F _outagesim outagesim outagesim-mpi
