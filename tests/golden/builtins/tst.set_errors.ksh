# scenario: empty
# ::set's messages, with standard error folded in: bad option names and values are warned about
# one by one and the command still succeeds, as mdb's does; bad flags print the usage.
for c in '::set -o bogus' '::set -o pager=1,term,array_mem_limit=x,follow_fork_mode=up' \
    '::set +o nosuch,autowrap' '::set -q' '::set +x' '::set -w +w' '1::set' '::set +o'; do
	print -r -- "> $c"
	$MDB -e "$c" 2>&1
	print -r -- "exit status $?"
done
