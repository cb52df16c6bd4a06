# scenario: typical
# Usage errors and failures of every walker and dcmd, with standard error folded into the
# compared output, and the exit status mdb -e gives each.
for c in '::walk kvm_memory_slot' '::walk kvm_mem_alias' '::walk kvm_ringbuf_entry' \
    '::walk kvm_vcpu' '::walk kvm_mmu_page' 'fffffe0000044000::walk kvm' \
    '1234::walk kvm_memory_slot' '1234::walk kvm_mem_alias' '1234::walk kvm_ringbuf_entry' \
    '1234::walk kvm_vcpu' '1234::walk kvm_mmu_page' \
    '::kvm_gpa2qva fffffe0000044000' '1000::kvm_gpa2qva' '1000::kvm_gpa2qva 1234' \
    'a5123::kvm_gpa2qva fffffe0000044000' \
    '1234::kvm_gsiroutes' 'fffffe0000044000::kvm_gsiroutes a b' \
    '1234::kvm_mmuinfo' 'fffffe0000044000::kvm_mmuinfo extra' 'fffffe0000044000::kvm_mmuinfo -c 7' \
    'fffffe0000044000::kvm_mmuinfo -c 0t64' \
    '::kvm_ringbuf_entry' '8::kvm_ringbuf_entry' '1234::kvm' '::kvm extra'; do
	print -r -- "> $c"
	$MDB -e "$c" 2>&1
	print -r -- "exit status $?"
done
