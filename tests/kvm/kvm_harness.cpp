#include "kvm_harness.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "mdbsim/host/output.hpp"

namespace kvmtest {

using mdbsim::host::Output;
using mdbsim::host::Session;

std::string our_dmod() { return MDBSIM_KVM_DMOD; }
std::string original_dmod() { return MDBSIM_ORIG_KVM_DMOD; }
std::string upstream_dmod() { return MDBSIM_UPSTREAM_KVM_DMOD; }

Harness::Harness(mdbsim::sim::Target& t, const std::string& dmod)
    : session_(std::make_unique<Session>(t, mdbsim::host::SessionOptions{},
                                         mdbsim::host::SessionStreams::capture(out_, err_))) {
    const int rc = session_->load_module(dmod);
    session_->err().flush();
    load_err_ = err_;
    if (rc != 0) ADD_FAILURE() << "cannot load " << dmod << ": " << err_;
    err_.clear();
}

Harness::~Harness() = default;

Result Harness::run(std::string_view commands) {
    out_.clear();
    err_.clear();
    Result r;
    r.run = session_->run(commands, Session::InputKind::string);
    session_->out().flush();
    session_->err().flush();
    r.status = session_->last_status;
    r.out = out_;
    r.err = err_;
    return r;
}

std::vector<uint64_t> Harness::walk(const char* walker, uint64_t addr, int* rc) {
    std::vector<uint64_t> seen;
    session_->begin_command();
    int r = session_->walk(
        walker,
        [](uintptr_t a, const void*, void* arg) {
            static_cast<std::vector<uint64_t>*>(arg)->push_back(a);
            return WALK_NEXT;
        },
        &seen, addr);
    session_->end_command();
    session_->err().flush();
    if (rc) *rc = r;
    return seen;
}

std::vector<std::string> lines(std::string_view text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) nl = text.size();
        out.emplace_back(text.substr(pos, nl - pos));
        pos = nl + 1;
    }
    return out;
}

std::string hex(uint64_t v) { return fmt::format("{:x}", v); }

}  // namespace kvmtest
