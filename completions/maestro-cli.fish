# fish completion for maestro-cli. The binary itself works out the candidates
# (`maestro-cli __complete`); tenant and run ids come from the state, as far as the actor may
# see them.
function __maestro_cli_complete
    set -l current (commandline -ct)
    set -l words (commandline -opc) "$current"
    set -l out ($words[1] __complete fish -- $words 2>/dev/null)
    if test (count $out) -eq 0
        __fish_complete_path "$current"
    else
        printf '%s\n' $out
    end
end

complete -c maestro-cli -e
complete -c maestro-cli -f -a '(__maestro_cli_complete)'
