# scenario: empty
# ::dis on an ELF program opened as the target: a program assembled here (binutils as and ld),
# so its bytes do not depend on a compiler. It has a function named like a number (_007) and
# one whose name is all hex digits (ffffabcde00): both still resolve as symbols.
mdbsim=${MDB%% *}
cd "$ODIR" || exit 1
cat > prog.s <<'EOS'
	.text
	.globl	_start, main, _007, ffffabcde00
	.type	main, @function
main:
	pushq	%rbp
	movq	%rsp, %rbp
	subq	$0x10, %rsp
	movl	counter(%rip), %eax
	cmpl	$-6, %eax
	jle	1f
	andl	$0xfffffff0, %eax
	call	_007
	leaq	0x10(,%rax,8), %rdx
	movq	-0x8(%rbp), %rcx
	jmp	*%rdx
1:	leave
	ret
	.size	main, .-main
	.type	_007, @function
_007:
	movl	$0x2a, %eax
	ret
	.size	_007, .-_007
	.type	ffffabcde00, @function
ffffabcde00:
	xorl	%eax, %eax
	ret
	.size	ffffabcde00, .-ffffabcde00
_start:
	call	main
	hlt
	.data
	.globl	counter
	.type	counter, @object
counter:
	.long	7
	.size	counter, 4
EOS
as -o prog.o prog.s && ld -o prog -e _start prog.o || exit 1
for c in '::dis main' 'main::dis' '::dis -n 3 main' 'main+4::dis -w -n 2' '_007::dis' \
    'ffffabcde00::dis' '::dis ffffabcde00' '::dis -a _007' '::dis -b _007' 'main,3::dis' \
    'main/5i' 'main/2I' '::disasms' '::dismode' '$V' '::dismode ia32; ::dis _007; ::dismode amd64' \
    '::dismode default; main::dis' '::dismode nosuch' '::dis nosuchsym' '::dis -q main' \
    '0::dis' 'main::dis -n 2 extra'; do
	print -r -- "> $c"
	$mdbsim prog -e "$c" 2>&1
	print -r -- "exit status $?"
done
