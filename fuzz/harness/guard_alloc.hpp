// Guard-page mdb_alloc for fuzzing prebuilt dmods (decisions.md, "Fuzzing").
//
// A dmod that was not compiled with ASan reads past a heap block without anyone noticing. When
// guard mode is on, mdb_alloc / mdb_zalloc / mdb_free defined in the fuzz executable interpose on
// the host's (ELF symbol interposition: the executable is exported with -rdynamic, so a dmod's and
// the host's references bind to these definitions). Each block ends exactly at a PROT_NONE page,
// so the first byte read past the end faults; a SIGSEGV handler recognises the guard arena and
// prints what happened before handing the signal on to ASan / libFuzzer.
//
// Guard mode off: the three functions forward to the host's definitions (dlsym RTLD_NEXT).
#pragma once

#include <cstddef>

namespace mdbsim::fuzz {

// Turns guard mode on or off (off by default). Call before the session allocates anything.
void guard_alloc_enable(bool on);
bool guard_alloc_enabled();

// Frees the UM_GC blocks handed out since the last call. Guard mode does not register blocks
// with the session's per-command frames (those are released with free()); the harness calls
// this after each top-level Session::run, so blocks live at least as long as mdb's rule says.
void guard_alloc_end_command();

// (Re)installs the SIGSEGV/SIGBUS handler in front of whatever is installed now (libFuzzer sets
// its handlers after LLVMFuzzerInitialize, so the host calls this at its first input). For any
// fault it names a guard-page hit, calls report (e.g. to print the case being run), then hands the
// signal on to the previous handler.
void install_fault_handler(void (*report)());

// Blocks currently live (not freed), for leak checks in tests.
size_t guard_alloc_live_blocks();

}  // namespace mdbsim::fuzz
