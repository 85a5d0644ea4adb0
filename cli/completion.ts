/**
 * `tke2eks completion bash|zsh|fish`: a completion script built from the command tree itself,
 * so it lists exactly the commands and flags the parser takes.
 */
import type { Command } from "commander";
import { UserError } from "../core/errors";

export const SHELLS = ["bash", "zsh", "fish"] as const;

function flags(cmd: Command): string[] {
    return [...cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined)), "--help"];
}

function bash(program: Command): string {
    const names = program.commands.map((c) => c.name());
    const cases = program.commands.map((c) => `        ${c.name()}) words="${flags(c).join(" ")}" ;;`).join("\n");
    return `# tke2eks completion for bash: source it, or put it in /etc/bash_completion.d/tke2eks
_tke2eks() {
    local cur="\${COMP_WORDS[COMP_CWORD]}" words
    if [ "$COMP_CWORD" -eq 1 ]; then
        words="${[...names, ...flags(program)].join(" ")}"
    else
        case "\${COMP_WORDS[1]}" in
${cases}
        *) words="" ;;
        esac
    fi
    # Flags complete from the list; anything else (paths, names) falls back to files.
    if [[ "$cur" == -* || "$COMP_CWORD" -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}
complete -o default -F _tke2eks tke2eks
`;
}

function fish(program: Command): string {
    const q = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
    const lines = ["# tke2eks completion for fish: put it in ~/.config/fish/completions/tke2eks.fish"];
    for (const c of program.commands) lines.push(`complete -c tke2eks -f -n __fish_use_subcommand -a ${c.name()} -d ${q(c.description())}`);
    for (const c of program.commands) {
        for (const o of c.options) {
            const parts = [`complete -c tke2eks -n ${q(`__fish_seen_subcommand_from ${c.name()}`)}`];
            if (o.short) parts.push(`-s ${o.short.slice(1)}`);
            if (o.long) parts.push(`-l ${o.long.slice(2)}`);
            if (o.required) parts.push("-r");
            parts.push(`-d ${q(o.description)}`);
            lines.push(parts.join(" "));
        }
    }
    return `${lines.join("\n")}\n`;
}

export function completionScript(shell: string, program: Command): string {
    switch (shell) {
        case "bash":
            return bash(program);
        // zsh runs the bash function through its own bashcompinit.
        case "zsh":
            return `#compdef tke2eks\nautoload -U +X bashcompinit && bashcompinit\n${bash(program)}`;
        case "fish":
            return fish(program);
        default:
            throw new UserError(`completion ${shell}: use one of ${SHELLS.join(", ")}`);
    }
}
