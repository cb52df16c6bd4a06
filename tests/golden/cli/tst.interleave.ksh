# scenario: typical
# Standard output is buffered when it is not a terminal; standard error must still appear between
# the lines of the commands around it, as each command runs (here both go to one file).
$MDB > "$ODIR/both" 2>&1 <<'EOF'
::walk kvm
::nosuchcmd
::walk kvm | ::head -n 1
0x1=K
::walk nosuchwalker
! echo from the shell
::echo done
EOF
cat "$ODIR/both"
