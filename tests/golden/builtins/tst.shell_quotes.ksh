# scenario: empty
# The shell escape's quoting rules: '...' passes its body on except that \' is a quote; "..."
# converts C escapes (\" \\ \n \t octal; an unknown escape such as \$ stays for the shell) and
# then \' too; an unquoted command ends at ';' or the end of the line.
export SHELL=/bin/sh
$MDB <<'EOF2'
! "echo \'hi there\'"
! 'echo \'single\' quotes'
! "printf '%s|%s\n' \"two words\" \$HOME-not-expanded"
! "printf 'tab[\t] octal[\101]\n'"
! echo unquoted; ! echo after the semicolon
::echo 1 2 3 ! "awk \"{print \$2}\"" | ::map .
EOF2
print "exit status $?"
