# scenario: empty
# A quoted shell command must close on its line: mdb -e reports the syntax error and exits 1.
export SHELL=/bin/sh
$MDB -e '! "echo unterminated'
