# scenario: corrupt,kind=alias-count,value=1000
# naliases out of range: the walk is clamped to KVM_ALIAS_SLOTS with a warning.
$MDB -e '::walk kvm | ::walk kvm_mem_alias' 2>&1
print -r -- "exit status $?"
$MDB -e '::kvm' 2>&1
print -r -- "exit status $?"
