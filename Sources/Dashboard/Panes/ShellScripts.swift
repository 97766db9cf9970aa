/// The start-up code nslab gives the shells of its panes so they emit OSC 133 prompt marks: `ESC ] 133 ; A BEL`
/// where the prompt starts, `B` where it ends (the command line starts), `C` just before a command's output and
/// `D;STATUS` when the command has ended. Each wrapper reads the user's own start-up files first and only then
/// adds the marks around whatever prompt those set; the user's files are never written.
///
/// Every script emits no `D` before the first prompt (no command has ended yet), and re-wraps the prompt when
/// something rebuilt it, so a theme that sets PS1 before each prompt keeps its marks.
enum ShellScripts {
    /// bash's `--rcfile`: bash reads /etc/bash.bashrc itself; this replaces only ~/.bashrc, which it sources.
    /// PROMPT_COMMAND gives D (first, to read `$?`) and re-wraps PS1 with A and B (last, after the user's own
    /// prompt command rebuilt it); PS0 (bash 4.4 and later) gives C. A PROMPT_COMMAND array (bash 5.1) stays one;
    /// a string gets the user's part between newlines.
    /// None of these scripts forks (no command substitution, no subshell): in a new PID namespace the learner's
    /// first commands get the pids a lesson expects (2, 3, ...).
    static let bashRC = #"""
        # nslab's start-up file for the bash of a pane: the user's own ~/.bashrc, then the OSC 133 prompt marks.
        # nslab wrote it and removes it when it exits; it never writes the user's files.
        if [ -f ~/.bashrc ]; then . ~/.bashrc; fi
        __nslab_prompt_start() {
            local s=$?
            if [ -n "${__nslab_prompted-}" ]; then printf '\033]133;D;%s\007' "$s"; fi
            __nslab_prompted=1
            return "$s"
        }
        __nslab_prompt_end() {
            local s=$?
            case $PS1 in *'133;B'*) ;; *) PS1='\[\e]133;A\a\]'"$PS1"'\[\e]133;B\a\]' ;; esac
            return "$s"
        }
        if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] >= 501)) && [[ -v PROMPT_COMMAND ]] &&
            [[ ${PROMPT_COMMAND@a} == *a* ]]; then
            PROMPT_COMMAND=(__nslab_prompt_start "${PROMPT_COMMAND[@]}" __nslab_prompt_end)
        else
            # Newlines, not semicolons, between the parts: a prompt command that ends in `;` (pyenv's does) or `&`
            # stays valid, where `; ;` was a syntax error printed at every prompt.
            __nslab_nl=$'\n'
            PROMPT_COMMAND="__nslab_prompt_start${PROMPT_COMMAND:+$__nslab_nl$PROMPT_COMMAND}${__nslab_nl}__nslab_prompt_end"
            unset __nslab_nl
        fi
        PS0="${PS0-}"'\e]133;C\a'

        """#

    /// bash's marks from the environment alone, for a shell that cannot see nslab's files (it joined another
    /// mount namespace): the same D, A and B as `bashRC`, inline in PROMPT_COMMAND. At the first prompt it takes
    /// PROMPT_COMMAND and PS0 out of the environment, so the programs the learner runs do not inherit them. The
    /// user's rc files run first and may set PROMPT_COMMAND, which drops the marks.
    static let bashPromptCommandStart =
        #"__nslab_s=$?; if [ -n "${__nslab_prompted-}" ]; then printf '\033]133;D;%s\007' "$__nslab_s"; "#
        + #"else __nslab_prompted=1; export -n PROMPT_COMMAND PS0; fi; __nslab_r() { return $1; }; "#
        + #"__nslab_r $__nslab_s"#

    /// The end of the environment's PROMPT_COMMAND: A and B around the prompt the rc files left.
    static let bashPromptCommandEnd =
        #"case $PS1 in *"133;B"*) ;; *) PS1='\[\e]133;A\a\]'$PS1'\[\e]133;B\a\]' ;; esac; "#
        + #"unset __nslab_s; unset -f __nslab_r"#

    /// bash's PS0 mark, in its prompt escapes: C, printed after a command is read and before it runs.
    static let bashOutputMark = #"\e]133;C\a"#

    /// zsh's `$ZDOTDIR/.zshenv` while ZDOTDIR points at nslab's directory: remembers where the user's files are
    /// (their own ZDOTDIR, passed as NSLAB_USER_ZDOTDIR, else HOME) and reads their .zshenv from there. A shell
    /// that is not interactive (it reads no .zshrc) gets the user's ZDOTDIR back at once.
    static let zshEnv = #"""
        # nslab's .zshenv for the zsh of a pane: ZDOTDIR points here only to add the OSC 133 prompt marks;
        # the user's own start-up files are read from their own ZDOTDIR (or HOME), which comes back in .zshrc.
        typeset -g __nslab_dir=$ZDOTDIR
        if (( ${+NSLAB_USER_ZDOTDIR} )); then
            typeset -g __nslab_user_dir=$NSLAB_USER_ZDOTDIR __nslab_user_had=1
            unset NSLAB_USER_ZDOTDIR
        else
            typeset -g __nslab_user_dir=$HOME __nslab_user_had=
        fi
        __nslab_restore() {
            if [[ -n $__nslab_user_had ]]; then export ZDOTDIR=$__nslab_user_dir; else unset ZDOTDIR; fi
        }
        __nslab_source() {
            ZDOTDIR=$__nslab_user_dir
            [[ -f $ZDOTDIR/$1 ]] && source "$ZDOTDIR/$1"
            # The user's file may move ZDOTDIR: their next files come from there.
            if [[ $ZDOTDIR != $__nslab_user_dir ]]; then __nslab_user_dir=$ZDOTDIR __nslab_user_had=1; fi
            ZDOTDIR=$__nslab_dir
        }
        __nslab_source .zshenv
        [[ -o interactive ]] || __nslab_restore

        """#

    /// zsh's `.zprofile` (login shells only): the user's own.
    static let zshProfile = """
        # nslab: the user's own .zprofile (see .zshenv).
        __nslab_source .zprofile

        """

    /// zsh's `.zshrc`: puts the user's ZDOTDIR back, reads their .zshrc, then adds the hooks: D first among the
    /// precmd hooks (it reads `$?`), A and B around PS1 last (a theme's hook may rebuild it), C from preexec.
    static let zshRC = #"""
        # nslab's .zshrc for the zsh of a pane: the user's own .zshrc, then the OSC 133 prompt marks.
        __nslab_restore
        [[ -f ${ZDOTDIR:-$HOME}/.zshrc ]] && source "${ZDOTDIR:-$HOME}/.zshrc"
        unfunction __nslab_source __nslab_restore
        unset __nslab_dir __nslab_user_dir __nslab_user_had
        __nslab_precmd() {
            local s=$?
            (( ${+__nslab_prompted} )) && print -rn -- $'\e]133;D;'"$s"$'\a'
            typeset -g __nslab_prompted=1
            return s
        }
        __nslab_prompt_marks() {
            [[ $PS1 == *$'\e]133;B'* ]] || PS1=$'%{\e]133;A\a%}'"$PS1"$'%{\e]133;B\a%}'
        }
        __nslab_preexec() { print -rn -- $'\e]133;C\a' }
        precmd_functions=(__nslab_precmd $precmd_functions __nslab_prompt_marks)
        preexec_functions+=(__nslab_preexec)

        """#

    /// fish's `--init-command`, which fish runs after the user's config.fish: C and D from the preexec and
    /// postexec events, A and B around the user's fish_prompt. A command-line argument, so it needs no file and
    /// works in any mount namespace. fish knows OSC sequences take no room in a prompt.
    static let fishInit =
        #"function __nslab_preexec --on-event fish_preexec; printf '\e]133;C\a'; end; "#
        + #"function __nslab_postexec --on-event fish_postexec; printf '\e]133;D;%s\a' $status; end; "#
        + #"functions -q fish_prompt; and functions -c fish_prompt __nslab_user_prompt; "#
        + #"function fish_prompt; printf '\e]133;A\a'; functions -q __nslab_user_prompt; and __nslab_user_prompt; "#
        + #"printf '\e]133;B\a'; end"#

    /// The part of an ENV file that reads the user's own: their ENV (passed as NSLAB_USER_ENV) is put back, so
    /// the shells the learner starts read it, and read after parameter expansion, as POSIX says of ENV.
    private static let userEnv = #"""
        if [ -n "${NSLAB_USER_ENV-}" ]; then
            ENV=$NSLAB_USER_ENV
            export ENV
            unset NSLAB_USER_ENV
            eval "__nslab_env=\"$ENV\""
            if [ -r "$__nslab_env" ]; then . "$__nslab_env"; fi
            unset __nslab_env
        else
            unset ENV
        fi

        """#

    /// dash's ENV file: the user's ENV, then PS1 wrapped with A and B and, from the second prompt on, D with `$?`
    /// (`${__nslab_p+…}` is empty until `${__nslab_p=}` sets it, at the first prompt). dash has no hook before a
    /// command, so no C. dash edits no line, so the marks go in as raw bytes, written into the file itself
    /// (`$(printf ...)` would fork). The user's PS1, as their ENV left it, goes in between.
    static let dashENV =
        "# nslab's ENV file for the dash of a pane: the user's own ENV, then the OSC 133 prompt marks.\n"
        + userEnv + "PS1='" + dashPrompt(around: #"'"$PS1"'"#) + "'\n"

    /// dash's PS1 from the environment alone, for a dash that cannot see the ENV file: `prompt` (the user's PS1,
    /// else dash's own for root, which a shell joined into another mount namespace always is) between A and B,
    /// D first from the second prompt on, as in `dashENV`. The escape bytes go in raw, as dash prints them.
    static func dashPrompt(around prompt: String) -> String {
        "${__nslab_p+\u{1b}]133;D;$?\u{07}}${__nslab_p=}\u{1b}]133;A\u{07}" + prompt + "\u{1b}]133;B\u{07}"
    }

    /// busybox sh's PS1 from the environment alone: as `dashPrompt`, in ash's prompt escapes (its default
    /// prompt `\w \$ ` when the user has none).
    static func ashPrompt(around prompt: String) -> String {
        #"${__nslab_p+\[\e]133;D;$?\a\]}${__nslab_p=}\[\e]133;A\a\]"# + prompt + #"\[\e]133;B\a\]"#
    }

    /// busybox ash's ENV file: as dash's, but the marks in `\[ \]` with ash's prompt escapes, so its line editor
    /// counts them as taking no room.
    static let ashENV =
        "# nslab's ENV file for the busybox sh of a pane: the user's own ENV, then the OSC 133 prompt marks.\n"
        + userEnv + "PS1='" + ashPrompt(around: #"'"$PS1"'"#) + "'\n"
}
