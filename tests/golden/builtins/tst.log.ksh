# scenario: empty
# ::log and $> copy input, output and errors to a file, and stop; ::cat shows files.
cd "$ODIR" || exit 1
$MDB <<'EOF2'
::log
::log session.log
::echo logged
nosuchsymbol=K
::log
$>
::echo not logged
::log -d
$> session.log
::echo logged again
::log -d
::cat session.log
::cat nosuchfile session.log
::log -e
::log -d
EOF2
print "exit status $?"
