# scenario: typical
# What a crash dump cannot do, answered as mdb answers on one, with standard error folded in.
for c in '$r' '$?' '::regs' '1::regs' '$c' '::stack' '$C 5' '::stackregs' '::cpustack' ':c' '::cont' \
    ':c SIGKILL' ':c KILL' ':c 9' ':c NOSUCH' '1:c' ':s' '::step over' '::step out' '::step branch' \
    ':e' ':u' ':S' ':r' '::run a b' '::bp vm_list' 'vm_list::bp' '::bp -x vm_list' '::bp' \
    'vm_list:b' 'vm_list::wp -w' 'vm_list::wp' 'vm_list:w' 'vm_list:a' 'vm_list:p' \
    '::sigbp SIGINT' ':t 2' '::sigbp NOPE' '::sysbp 4' '::sysbp -i -o 4' '::fltbp 3' \
    '::events' '::events -v' '$b' '::delete all' '::delete 3' ':d 3' ':z' '::evset 3' '::evset' \
    '0::context' 'fffffe0000044000::context' '$p' '$i' '$l' '$x' '$X' '$y' '$Y' '::fpregs' ':A' \
    '::attach 1' ':i' ':k' '::kill' ':R' '::release' '::status' '$W; ::set -L /mods; ::set' '$Q'; do
	print -r -- "> $c"
	$MDB -e "$c" > "$ODIR/out" 2>&1
	typeset rc=$?
	# ::status names the file an image was saved to: a different one on every run.
	sed -e 's,debugging crash dump [^ ]*,debugging crash dump IMAGE,' "$ODIR/out"
	print -r -- "exit status $rc"
done
