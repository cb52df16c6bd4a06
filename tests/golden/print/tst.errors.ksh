# scenario: typical
# Bad input: mdb's messages on standard error (folded into the compared output) and the exit
# status of mdb -e; the session goes on after each.
for c in '::print struct nosuch' '::print struct' '::sizeof struct nosuch' '::offsetof struct kvm nosuch' \
    '::walk kvm | ::head -1 | ::print struct kvm nosuch' \
    '::walk kvm | ::head -1 | ::print struct kvm vcpus[0t99]->vcpu_id' \
    '::walk kvm | ::head -1 | ::print struct kvm kvmid.x' \
    '::walk kvm | ::head -1 | ::print struct kvm kvmid->x' \
    '::walk kvm | ::head -1 | ::print struct kvm kvmid[1]' \
    '::walk kvm | ::head -1 | ::print struct kvm arch+x' \
    '::walk kvm | ::head -1 | ::print struct kvm vcpus[2' \
    '::walk kvm | ::head -1 | ::print struct kvm vcpus[0t63]->vcpu_id' \
    'fffffe00001fffc0::print -a struct kvm_memory_slot' 'fffffe00001ffff0::print -t struct kvm_mem_alias' \
    '0::print struct kvm_memslots nmemslots' \
    '::print -p -i struct kvm' '::print -a' '1000::print' '::enum nosuch' \
    '::walk kvm | ::head -1 | ::printf "%d %s\n" struct kvm kvmid' \
    '::walk kvm | ::head -1 | ::printf "%d %y\n" struct kvm kvmid kvmid' \
    '::walk kvm | ::head -1 | ::list struct kvm nosuch' \
    '::typedef' '::typedef -l -d' '::typedef nosuch_t x_t'; do
	print -r -- "> $c"
	$MDB -e "$c" 2>&1
	print -r -- "exit status $?"
done
print -r -- "> a failing ::print in a script does not end it"
$MDB 2>&1 <<'MDB'
::print struct nosuch
::walk kvm | ::head -1 | ::print struct kvm kvmid
MDB
print -r -- "exit status $?"
