# scenario: empty
# `!< cmd` reads the command's output as debugger input: on its own line, and at the end of a
# pipeline, where the pipeline's output is the command's standard input.
export SHELL=/bin/sh
$MDB <<'EOF2'
!< echo 0t42=D
!< 'printf "1=X\n2=X\n"'
::echo 10 20 !< 'tr " " "\n" | sed -n "s/..*/&=D/p"'
::echo 7 !< "sed \"s/ *\$/,3=X/\""
EOF2
print "exit status $?"
