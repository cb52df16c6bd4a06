# scenario: minimal
# What stops a command, as the user sees it (standard error shown here): the work budget, the
# time limit and a fault in a dmod. Each names where it happened; the exit status says the
# command failed. Frame offsets depend on the compiler and are masked.
function show {
	print -- "--- $1"
	shift
	"$@" > "$ODIR/output" 2>&1
	typeset rc=$?
	sed -e 's/+0x[0-9a-f]*()/+OFFSET()/' "$ODIR/output"
	print "exit $rc"
}
# A repeat count is charged per invocation; so is every target read, even inside walk_init.
show "repeat count" $MDB --step-budget 10 -e '0,ffffffffffffffff=J'
show "read loop in walk_init" $MDB --step-budget 5000 -e '::load hostfaulty' -e 'memsegs::walk spin_init'
show "endless walk" $MDB --step-budget 5000 -e '::load hostfaulty' -e 'memsegs::walk endless ! wc -l'
show "time limit" $MDB --step-budget 0 --timeout 0.2 -e '::load hostfaulty' -e 'memsegs::walk spin_init'
# A fault fails the command and unloads the module; -e and scripts then exit non-zero.
show "fault in a dcmd" $MDB -e '::load hostfaulty' -e '::fault_null'
show "fault in a walk step" $MDB -e '::load hostfaulty' -e 'memsegs::walk fault_step'
print -- "--- fault in a script"
$MDB > "$ODIR/output" 2>&1 <<'SCRIPT'
::load hostfaulty
0x2a=D
::fault_null
0x2b=D
SCRIPT
print "exit $?"
sed -e 's/+0x[0-9a-f]*()/+OFFSET()/' "$ODIR/output"
# Bad values of the flags are usage errors.
show "bad budget" $MDB --step-budget lots -e '1=D'
show "bad timeout" $MDB --timeout -1 -e '1=D'
