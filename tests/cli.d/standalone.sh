# The repository stands alone (sourced by tests/cli.sh): no tracked file
# cites the working notes outside it (a clone does not have them), and every
# "sources.md S<n>" cited anywhere names a section of docs/sources.md. So that
# a silent checker cannot pass, it first runs on a scratch repository with one
# planted outside citation and one citation of a missing section, and must
# name both.

# The patterns are built from pieces so that this file does not match itself.
SA_NOTES="shared""/reference"
SA_UP="\.\./""shared"
SA_CITE='sources\.md S[0-9]+(\.[0-9]+)?((,|;|,? and| to) S[0-9]+(\.[0-9]+)?)*'

# standalone_check DIR: print one line per offence in the git tree DIR;
# 1 if there was any, 0 if none.
standalone_check() (
    cd "$1" || exit 2
    rc=0
    hits=$(git ls-files -z | xargs -0 grep -a -l -E -e "$SA_NOTES" -e "$SA_UP" -- 2>/dev/null)
    for f in $hits; do
        echo "$f: cites the notes outside the repository"
        rc=1
    done
    have=$(grep -o -E '^#{2,3} S[0-9]+(\.[0-9]+)? ' docs/sources.md 2>/dev/null | awk '{ print $2 }')
    cited=$(git ls-files -z | xargs -0 grep -a -o -h -E "$SA_CITE" -- 2>/dev/null |
        grep -o -E 'S[0-9]+(\.[0-9]+)?' | sort -u)
    for s in $cited; do
        if ! grep -qx -- "$s" <<<"$have"; then
            echo "sources.md $s: cited, but docs/sources.md has no such section"
            rc=1
        fi
    done
    exit $rc
)

SA="$TMP/standalone"
mkdir -p "$SA/docs"
printf '# Sources\n## S1 One\n### S1.2 Two\n' >"$SA/docs/sources.md"
printf '# fine [docs/sources.md S1, S1.2]\n# planted [docs/sources.md S1.2; S%s]\n' 9.3 >"$SA/a.yaml"
printf 'see ../%s/incidents.md\n' "shared""/reference" >"$SA/b.md"
(cd "$SA" && git init -q . && git add .)
sout=$(standalone_check "$SA" 2>&1)
if [ $? -eq 1 ] && grep -q '^b.md: cites the notes outside' <<<"$sout" &&
    grep -q '^sources[.]md S9[.]3: cited, but' <<<"$sout" &&
    [ "$(wc -l <<<"$sout")" -eq 2 ]; then
    ok "standalone: the checker names a planted outside citation and a missing section"
else
    bad "standalone: the checker names a planted outside citation and a missing section" "$sout"
fi

if ! command -v git >/dev/null || ! git rev-parse --git-dir >/dev/null 2>&1; then
    skip "standalone: no tracked file cites outside notes; every cited section exists" \
        "not a git work tree"
elif sout=$(standalone_check . 2>&1); then
    ok "standalone: no tracked file cites outside notes; every cited section exists"
else
    bad "standalone: no tracked file cites outside notes; every cited section exists" "$sout"
fi
