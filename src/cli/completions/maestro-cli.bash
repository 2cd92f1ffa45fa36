# bash completion for maestro-cli. The binary itself works out the candidates
# (`maestro-cli __complete`) from the whole line, so `tenant:cr<TAB>` completes although bash
# cuts words at `:` (COMP_WORDBREAKS); nothing else (no bash-completion package) is needed.
# Tenant and run ids come from the state, as far as the actor may see them.
_maestro_cli() {
    local IFS=$'\n'
    COMPREPLY=($("${COMP_WORDS[0]}" __complete bash --point "${COMP_POINT}" \
        --breaks "${COMP_WORDBREAKS}" -- "${COMP_LINE}" 2>/dev/null))
    # A value that goes on (`dir/`, `--by tenant,`) takes no space after it.
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[=/,:] ]]; then
        compopt -o nospace 2>/dev/null
    fi
}
complete -o bashdefault -o default -F _maestro_cli maestro-cli
