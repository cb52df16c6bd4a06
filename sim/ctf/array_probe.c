/*
 * Compiled with the modules' flags by mdbsim_add_ctf_archive: mdbsim-ctfgen reads how the
 * compiler's CTF nests this two-dimensional array (C: 2 arrays of 3; gcc 12 and 13: 3 of 2).
 */
int mdbsim_array_probe[2][3];
