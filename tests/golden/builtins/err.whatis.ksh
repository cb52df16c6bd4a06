# scenario: typical
# ::whatis needs an address: without one it is a usage error and mdb -e exits 1.
$MDB -e '::whatis'
