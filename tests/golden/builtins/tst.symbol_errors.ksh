# scenario: typical
# Bad options and bad addresses of the symbol commands, with standard error folded in.
for c in '::nm -z' '::nm -d -x' '::nm nosuchobj' '::nm -P kvm' 'vm_list::nm -P' '1::nm' \
    '::nm -f bogus' '::nm -t func,bogus' '::nm a b' '::nmadd name' '1::nmadd' '1::nmadd -x n' \
    '10::nmadd -e 8 backwards' '::nmdel nosuch' '1::nmdel x' '::nmdel -x' '$e 1' '$m a b' \
    'ffff::mappings' '::mappings nosuch' '1::objects' '::objects -x' '::dump -p -f' \
    '::dump -w 11' '::dump -g 0' '0,10::dump' 'vm_list::vtop' '::vtop -x' '1::status' \
    '::files a b' '1::xdata' '1::showrev' '::showrev -x'; do
	print -r -- "> $c"
	$MDB -e "$c" 2>&1
	print -r -- "exit status $?"
done
