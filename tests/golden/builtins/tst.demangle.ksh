# scenario: empty
# C++ demangling ($G, $g, ::dem) on an ELF program with Itanium-mangled names, assembled here
# (binutils as and ld) so that the addresses do not depend on a compiler. The names cover a
# member function, a const member, a member object, a function template (whose return type
# stays when the scope goes) and a plain C name that must not change.
mdbsim=${MDB%% *}
cd "$ODIR" || exit 1
cat > prog.s <<'EOS'
	.text
	.globl	_start, main, _ZN2ns5Klass6methodEic, _ZNK2ns5Klass3getEv, _ZN2ns3maxIiEET_S1_S1_
	.type	main, @function
main:
	call	_ZN2ns5Klass6methodEic
	call	_ZNK2ns5Klass3getEv
	call	_ZN2ns3maxIiEET_S1_S1_
	ret
	.size	main, .-main
	.type	_ZN2ns5Klass6methodEic, @function
_ZN2ns5Klass6methodEic:
	ret
	.size	_ZN2ns5Klass6methodEic, .-_ZN2ns5Klass6methodEic
	.type	_ZNK2ns5Klass3getEv, @function
_ZNK2ns5Klass3getEv:
	ret
	.size	_ZNK2ns5Klass3getEv, .-_ZNK2ns5Klass3getEv
	.type	_ZN2ns3maxIiEET_S1_S1_, @function
_ZN2ns3maxIiEET_S1_S1_:
	ret
	.size	_ZN2ns3maxIiEET_S1_S1_, .-_ZN2ns3maxIiEET_S1_S1_
_start:
	call	main
	hlt
	.data
	.globl	_ZN2ns5Klass5countE, table
	.type	_ZN2ns5Klass5countE, @object
_ZN2ns5Klass5countE:
	.long	7
	.size	_ZN2ns5Klass5countE, 4
	.type	table, @object
table:
	.quad	_ZN2ns5Klass6methodEic
	.size	table, 8
EOS
as -o prog.o prog.s && ld -o prog -e _start prog.o || exit 1
names='_ZN2ns5Klass6methodEic _ZNK2ns5Klass3getEv _ZN2ns5Klass5countE _ZN2ns3maxIiEET_S1_S1_ prog`_ZNK2ns5Klass3getEv main i'
for c in "::dem $names" '$g' '$G' '$G; $g' '$G; $G' '$G; ::dem _ZN2ns5Klass6methodEic; $G; ::dem _ZN2ns5Klass6methodEic' \
    "\$G; 0xf\$g; ::dem $names" "\$G; 0\$g; ::dem $names" "\$G; 1\$g; ::dem $names" "\$G; 4\$g; ::dem $names" \
    '$G; 0x13$g' 'table/p' '$G; table/p' '$G; main::dis' '$G; 0$g; main::dis' '::nm -n' '$G; ::nm -n' \
    '$G /usr/lib/libdemangle.so' '::dem' '1::dem x' '$G; 2$g x'; do
	print -r -- "> $c"
	$mdbsim prog -e "$c" 2>&1
	print -r -- "exit status $?"
done
