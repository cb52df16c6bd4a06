# scenario: typical
# Module-scoped type names, as mdb takes them, in every type dcmd: `struct MOD`NAME` (the keyword
# is joined with the next word) or one quoted word "MOD`struct NAME". Unquoted, MOD`struct NAME is
# two words to mdb's lexer (arguments end at blanks), so ::sizeof and ::offsetof see one word too
# many (usage) and ::print, ::array and ::list look up a type "MOD`struct", as mdb does.
slots='::walk kvm | ::head -1 | ::print -a struct kvm memslots->memslots'
for c in '::sizeof struct kvm`kvm' '::sizeof "kvm`struct kvm"' '::sizeof kvm`struct kvm' \
    '::offsetof struct kvm`kvm memslots' '::offsetof "kvm`struct kvm" memslots' \
    '::offsetof kvm`struct kvm memslots' \
    '::walk kvm | ::head -1 | ::print struct kvm`kvm kvmid' \
    '::walk kvm | ::head -1 | ::print "kvm`struct kvm" kvmid' \
    '::walk kvm | ::head -1 | ::print kvm`struct kvm kvmid' \
    "$slots | ::array struct kvm\`kvm_memory_slot 2" \
    "$slots | ::array \"kvm\`struct kvm_memory_slot\" 2" \
    "$slots | ::array kvm\`struct kvm_memory_slot 2" \
    '::walk kvm | ::head -1 | ::list struct kvm`kvm_mmu_page link' \
    '::walk kvm | ::head -1 | ::list "kvm`struct kvm_mmu_page" link' \
    '::walk kvm | ::head -1 | ::list kvm`struct kvm_mmu_page link'; do
	print -r -- "> $c"
	$MDB -e "$c" 2>&1
	print -r -- "exit status $?"
done
