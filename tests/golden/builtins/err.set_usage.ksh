# scenario: empty
# An unknown ::set flag is a usage error: mdb -e exits 1.
$MDB -e '::set -q'
