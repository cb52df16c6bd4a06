// mdb_ctf_vread and mdb_ctf_readsym from a real dmod (its own types come from its .so's .ctf
// section): conversions, mdb's errors and flags on mismatches, an unreadable object; and the
// examples/ctf-vread dmod, whose walkers must visit what our kvm dmod's visit.
#include "mdbsim/host/types.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <mdbsim/kvm/kvm_state.h>

#include "mdbsim/fixtures/scenarios.hpp"
#include "mdbsim/host/output.hpp"
#include "mdbsim/host/session.hpp"
#include "mdbsim/mdb_errno.h"
#include "mdbsim/sim/image.hpp"

namespace mdbsim::host::test {
namespace {

std::string dmod(const std::string& name) { return std::string(MDBSIM_TEST_DMOD_DIR) + "/" + name + ".so"; }

struct Harness {
    explicit Harness(std::unique_ptr<sim::Target> t)
        : target(std::move(t)), session(*target, {}, SessionStreams::capture(out, err)) {}
    std::string run(const std::string& cmd, int* rc = nullptr) {
        out.clear();
        err.clear();
        const int r = session.run(cmd, Session::InputKind::string);
        session.out().flush();
        session.err().flush();
        if (rc) *rc = r;
        return out;
    }
    std::unique_ptr<sim::Target> target;
    std::string out, err;
    Session session;
};

std::unique_ptr<sim::Target> make(const std::string& spec, const std::string& where) {
    if (where == "image") {
        auto live = fixtures::make_scenario(spec);
        const std::string path = (std::filesystem::temp_directory_path() /
                                  ("mdbsim_vread_" + std::to_string(::getpid()) + ".core"))
                                     .string();
        sim::save_image(*live.target, path);
        auto t = sim::open_image(path);
        std::filesystem::remove(path);
        std::filesystem::remove(path + ".syms");
        return t;
    }
    return fixtures::make_scenario(spec, where == "unicorn" ? sim::Backend::unicorn : sim::Backend::flat).target;
}

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> v;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
}

class ExampleMatches : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(ExampleMatches, WalkersVisitWhatOursVisit) {
    const auto& [spec, where] = GetParam();
    Harness h(make(spec, where));
    ASSERT_EQ(h.session.load_module(dmod("kvm")), 0);
    ASSERT_EQ(h.session.load_module(dmod("ctf_kvm")), 0);
    const std::string ours = h.run("::walk kvm");
    ASSERT_FALSE(ours.empty());
    EXPECT_EQ(h.run("::walk kvm_ctf"), ours) << h.err;
    for (const auto& vm : lines(ours)) {
        const std::string vcpus = h.run(vm + "::walk kvm_vcpu");
        EXPECT_EQ(h.run(vm + "::walk kvm_vcpu_ctf"), vcpus) << h.err;
    }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ExampleMatches,
                         ::testing::Combine(::testing::Values("typical", "minimal", "spt,size=256M,large=1"),
                                            ::testing::Values("flat", "unicorn", "image")),
                         [](const auto& info) {
                             std::string n = std::get<0>(info.param) + "_" + std::get<1>(info.param);
                             for (auto& c : n)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return n;
                         });

struct Case {
    const char* cmd;    // after "<kvm>::vr "
    bool ok;
    int err;            // errno printed on failure
    const char* warn;   // part of the warning (empty: none)
};

class VreadTest : public ::testing::TestWithParam<std::string> {};

TEST_P(VreadTest, ConversionsAndErrors) {
    Harness h(make("minimal", GetParam()));
    ASSERT_EQ(h.session.load_module(dmod("kvm")), 0);
    ASSERT_EQ(h.session.load_module(dmod("ctf_vread_test")), 0);
    const std::string kvm = lines(h.run("::walk kvm")).at(0);
    const uint64_t addr = std::stoull(kvm, nullptr, 16);
    const auto k = h.target->peek<struct kvm>(addr);

    const std::string ok = h.run(kvm + "::vr ok");
    char want[200];
    std::snprintf(want, sizeof want, "kvmid=%d memslots=%lx pid=%ld\n", k.kvmid,
                  static_cast<unsigned long>(reinterpret_cast<uintptr_t>(k.memslots)), static_cast<long>(k.kvm_pid));
    EXPECT_EQ(ok, want) << h.err;

    const Case cases[] = {
        {"absent", false, EMDB_CTFNOMEMB, "could not find member no_such_member of type struct kvm"},
        {"-a absent", true, 0, ""},
        {"-q absent", false, EMDB_CTFNOMEMB, ""},
        {"narrow", false, EMDB_INCOMPAT, "is too large for mdb module type short"},
        {"-g narrow", true, 0, ""},
        {"grown", false, EMDB_INCOMPAT, "unexpected array size (64)"},
        {"-g grown", true, 0, ""},
        {"sign", false, EMDB_INCOMPAT, "signedness mismatch"},
        {"kind", false, EMDB_INCOMPAT, "unexpected kind for type struct kvm_memslots *"},
        {"notype", false, EMDB_NOCTF, "couldn't find type struct no_such_type in target's ctf data"},
        {"nomodtype", false, EMDB_CTF, "couldn't find ctf data for type no_such_mod_type in mdb module ctf_vread_test"},
        {"readsym", true, 0, ""},
        {"modlookup", true, 0, ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.cmd);
        int rc = 0;
        const std::string out = h.run(kvm + "::vr " + c.cmd, &rc);
        if (c.ok) {
            EXPECT_EQ(out.find("rc=-1"), std::string::npos) << out << h.err;
        } else {
            EXPECT_EQ(out, "rc=-1 errno=" + std::to_string(c.err) + "\n") << h.err;
        }
        if (c.warn[0]) EXPECT_NE(h.err.find(c.warn), std::string::npos) << h.err;
        else EXPECT_EQ(h.err, "");
    }
    EXPECT_EQ(h.run(kvm + "::vr -a absent"), "kvmid=" + std::to_string(k.kvmid) + " untouched=77\n");
    EXPECT_EQ(h.run(kvm + "::vr -g narrow"), "kvmid=" + std::to_string(static_cast<short>(k.kvmid)) + "\n");
    char g[100];
    std::snprintf(g, sizeof g, "kvmid=%d vcpus=%lx,%lx\n", k.kvmid,
                  static_cast<unsigned long>(reinterpret_cast<uintptr_t>(k.vcpus[0])),
                  static_cast<unsigned long>(reinterpret_cast<uintptr_t>(k.vcpus[1])));
    EXPECT_EQ(h.run(kvm + "::vr -g grown"), g);
    EXPECT_EQ(h.run(kvm + "::vr readsym"), "size=" + [] {
        char b[64];
        std::snprintf(b, sizeof b, "%zx offset=%zx\n", sizeof(struct kvm), offsetof(struct kvm, vm_list));
        return std::string(b);
    }());
    EXPECT_EQ(h.run(kvm + "::vr modlookup"), "size=" + std::to_string(sizeof(int) * 2 + sizeof(unsigned long) * 2) + "\n");

    // A two-dimensional array in C's nesting on both sides: each of the 3 rows of 24 read as far
    // as the dmod's rows of 2 (gcc's own order would give chip[0][0..5] instead).
    const uint64_t rt = reinterpret_cast<uint64_t>(k.irq_routing);
    const auto table = h.target->peek<struct kvm_irq_routing_table>(rt);
    char chip[100];
    std::snprintf(chip, sizeof chip, "%d,%d %d,%d %d,%d\n", table.chip[0][0], table.chip[0][1], table.chip[1][0],
                  table.chip[1][1], table.chip[2][0], table.chip[2][1]);
    char rts[32];
    std::snprintf(rts, sizeof rts, "%llx", static_cast<unsigned long long>(rt));
    EXPECT_EQ(h.run(std::string(rts) + "::vr -g chip"), chip) << h.err;
    EXPECT_EQ(h.run(std::string(rts) + "::vr chip"), "rc=-1 errno=" + std::to_string(EMDB_INCOMPAT) + "\n");
    EXPECT_NE(h.err.find("unexpected array size (24)"), std::string::npos) << h.err;

    // An object whose first bytes are mapped and the rest not: the read fails, the session goes on.
    const std::string bad = h.run("0x10::vr ok");
    EXPECT_EQ(bad.rfind("rc=-1 errno=", 0), 0u) << bad;
    EXPECT_NE(h.err.find("couldn't read struct kvm from"), std::string::npos) << h.err;
    EXPECT_EQ(h.run(kvm + "::vr ok"), want);
}

INSTANTIATE_TEST_SUITE_P(Backends, VreadTest, ::testing::Values("flat", "unicorn", "image"));

}  // namespace
}  // namespace mdbsim::host::test
