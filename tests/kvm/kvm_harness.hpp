// A debugger session over a simulated target with a kvm dmod loaded, whose standard output and
// standard error are captured as strings: what every kvm test drives.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mdbsim/host/session.hpp"
#include "mdbsim/sim/target.hpp"

namespace kvmtest {

// Paths of the dmods under test, from the build.
std::string our_dmod();
std::string original_dmod();  // empty when MDBSIM_ILLUMOS_KVM was not set
std::string upstream_dmod();  // empty when MDBSIM_ILLUMOS_KVM_UPSTREAM was not set

struct Result {
    std::string out;   // standard output
    std::string err;   // standard error
    int run = 0;       // Session::run: -1 when a parse or fatal error ended the input
    int status = 0;    // the last dcmd status (the exit status of mdb -e)
};

class Harness {
public:
    explicit Harness(mdbsim::sim::Target& t, const std::string& dmod = our_dmod());
    ~Harness();

    // Runs commands as `mdb -e` does (string input).
    Result run(std::string_view commands);
    // Addresses a walker visits (through the host's walk engine); -1 in *rc when it fails.
    std::vector<uint64_t> walk(const char* walker, uint64_t addr, int* rc = nullptr);
    mdbsim::host::Session& session() { return *session_; }
    // What loading the dmod wrote on standard error (its warnings, or why it failed).
    const std::string& load_errors() const { return load_err_; }

private:
    std::unique_ptr<mdbsim::host::Session> session_;
    std::string out_, err_, load_err_;
};

// Lines of a text, without their newlines.
std::vector<std::string> lines(std::string_view text);
// Hex of v as mdb's %p prints it (lower case, no 0x).
std::string hex(uint64_t v);

}  // namespace kvmtest
