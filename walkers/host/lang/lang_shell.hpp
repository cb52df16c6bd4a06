// Shell escapes (modapi.md §16.5): `$SHELL -c command` with its standard input fed from a string
// (a filter stage) and its standard output handed back in chunks as it arrives.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace mdbsim::host::lang {

struct ShellRun {
    const std::string* input = nullptr;  // bytes for the command's stdin; null: see inherit_stdin
    bool inherit_stdin = false;          // with no input: the debugger's stdin (else /dev/null)
    std::function<void(std::string_view)> output;  // receives the command's stdout
    // Called as output arrives and at least every 100 ms while the command runs; when it (or
    // output) throws, the command is killed and reaped before the exception goes on. The
    // debugger passes its ^C and --timeout check.
    std::function<void()> check;
};

// Runs the command and waits for it. Returns its exit status (128 + signal when killed), or -1
// with errno set when it could not be started.
int run_shell(const std::string& command, const ShellRun& how);

// $SHELL, or /bin/sh when unset or empty.
std::string shell_path();

}  // namespace mdbsim::host::lang
