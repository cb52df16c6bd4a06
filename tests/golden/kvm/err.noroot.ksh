# scenario: noroot
# vCPU 0 without a shadow root: the listing says so and mdb -e fails.
$MDB -e '::walk kvm | ::kvm_mmuinfo'
