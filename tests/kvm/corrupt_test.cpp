// Every corruption the sim can apply, under every walker and dcmd: each run must end (no hang,
// no crash) and the damage must show as a clear error where the dmod can see it.
#include <gtest/gtest.h>
#include <mdbsim/kvm/kvm_state.h>
#include <vm/page.h>
#include <sys/mdb_modapi.h>

#include <fmt/format.h>

#include <map>
#include <string>

#include "kvm_harness.hpp"
#include "kvm_scenarios.hpp"
#include "mdbsim/sim/kvm/corrupt.hpp"
#include "mdbsim/sim/kvm/layout.hpp"

namespace kvmtest {
namespace {

using namespace mdbsim::sim::kvm;

struct Damaged {
    BuiltScenario scen;
    AppliedCorruption applied;
};

Damaged damaged(Corruption kind, uint64_t seed, std::optional<int64_t> value = std::nullopt,
                const std::string& layout = "pre-ept") {
    Damaged d{build({rich_vm(1), rich_vm(2)}, layout), {}};
    d.applied = apply_corruption(*d.scen.target, d.scen.kvm, {kind, seed, value});
    return d;
}

// Everything a user would run on a VM.
std::string all_commands(const BuiltVm& vm) {
    std::string k = hex(vm.kvm);
    std::string s = "::walk kvm\n::kvm\n" + k + "::kvm\n" + k + "::walk kvm_memory_slot\n" + k +
                    "::walk kvm_mem_alias\n" + k + "::walk kvm_vcpu\n" + k + "::walk kvm_mmu_page\n" +
                    "1000::kvm_gpa2qva " + k + "\n" + k + "::kvm_gsiroutes\n" + k +
                    "::kvm_mmuinfo\n" + k + "::kvm_mmuinfo -v\n" + k + "::kvm_mmuinfo -l\n" +
                    "::walk kvm | ::kvm_mmuinfo\n";
    for (const BuiltVcpu& v : vm.vcpus)
        s += hex(v.ringbuf) + "::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry\n";
    return s;
}

// Where each kind of damage shows: the command that reads it, and what that command must say.
// `changed`: the damage is read without a failure, so the command's output must differ from the
// same command's on the undamaged scenario; `same`: our dmod never reads what was damaged, so
// every command's result must stay exactly as it was.
enum class Shows { err, out, changed, same };

struct Expectation {
    Shows where;
    std::string command;
    std::string text;  // a part of standard error or output (err, out)
    int status = DCMD_ERR;
};

const BuiltVcpu& vcpu_at(const BuiltVm& vm, uint64_t addr, uint64_t size) {
    for (const BuiltVcpu& v : vm.vcpus)
        if (addr >= v.addr && addr < v.addr + size) return v;
    ADD_FAILURE() << "no vCPU of the damaged VM holds " << hex(addr);
    return vm.vcpus.front();
}

Expectation expected(const BuiltVm& vm, const AppliedCorruption& a, const Layout& l) {
    const std::string k = hex(vm.kvm);
    const std::string now = hex(a.new_value);
    using C = Corruption;
    switch (a.kind) {
    case C::vm_list_wild: case C::vm_list_null:
        return {Shows::err, "::walk kvm", "mdb: failed to read list element at 0x"};
    case C::vm_list_self: case C::vm_list_cycle:
        return {Shows::err, "::walk kvm", "mdb: list walk: cycle detected at node 0x"};
    case C::memslots_wild: case C::memslots_null:
        return {Shows::err, k + "::walk kvm_memory_slot", "mdb: couldn't read memslots at " + now + ": no mapping"};
    case C::aliases_wild: case C::aliases_null:
        return {Shows::err, k + "::walk kvm_mem_alias", "mdb: couldn't read aliases at " + now + ": no mapping"};
    case C::irq_routing_wild: case C::irq_routing_null:
        return {Shows::err, k + "::kvm_gsiroutes", "mdb: couldn't read kvm irq routing table at " + now + ": no mapping"};
    case C::memslots_self:
        return {Shows::changed, k + "::walk kvm_memory_slot", "", DCMD_OK};
    case C::aliases_self:
        return {Shows::changed, k + "::walk kvm_mem_alias", "", DCMD_OK};
    case C::irq_routing_self:
        return {Shows::changed, k + "::kvm_gsiroutes", "", DCMD_OK};
    case C::vcpu0_wild:  // the walk warns and goes on with the next vCPU
        return {Shows::err, k + "::walk kvm_vcpu", "mdb: couldn't read kvm_vcpu at " + now + ": no mapping", DCMD_OK};
    case C::vcpu0_null:
        return {Shows::err, k + "::walk kvm_vcpu", "vcpus[0] of kvm " + k + " is NULL although 2 vCPUs are online",
                DCMD_OK};
    case C::vcpu0_self:
        return {Shows::out, k + "::kvm_mmuinfo", "ERROR: could not find page private for MMU Root"};
    case C::unmap_kvm:
        return {Shows::err, k + "::kvm", "mdb: couldn't read kvm at " + k + ": no mapping"};
    case C::unmap_kvm_partial:
        return {Shows::err, "::walk kvm",
                fmt::format("mdb: failed to read list element at 0x{}: only {} of {} bytes could be read", k,
                            a.unmapped_base - vm.kvm, l.size("struct kvm"))};
    case C::unmap_memslots:
        return {Shows::err, k + "::walk kvm_memory_slot", "mdb: couldn't read memslots at " + hex(vm.memslots) + ": no mapping"};
    case C::unmap_memslots_partial:  // the pointer now names a copy whose tail is unmapped
        return {Shows::err, k + "::walk kvm_memory_slot", "mdb: couldn't read memslots at " + now + ": only "};
    case C::unmap_aliases:
        return {Shows::err, k + "::walk kvm_mem_alias", "mdb: couldn't read aliases at " + hex(vm.aliases) + ": no mapping"};
    case C::unmap_irq_routing:
        return {Shows::err, k + "::kvm_gsiroutes",
                "mdb: couldn't read kvm irq routing table at " + hex(vm.irq_routing) + ": no mapping"};
    case C::unmap_irq_routing_partial:  // our ::kvm_gsiroutes reads only chip[][], on the first page
        return {Shows::same, "", "", DCMD_OK};
    case C::unmap_vcpu: case C::unmap_vcpu_partial: {
        const BuiltVcpu& v = vcpu_at(vm, a.unmapped_base, l.size("struct kvm_vcpu"));
        return {Shows::err, k + "::walk kvm_vcpu",
                "mdb: couldn't read kvm_vcpu at " + hex(v.addr) + (a.kind == C::unmap_vcpu ? ": no mapping" : ": only "),
                DCMD_OK};
    }
    case C::unmap_spt:
        return {Shows::out, k + "::kvm_mmuinfo", "ERROR: could not read SPT PTE"};
    case C::unmap_pae_root:  // ::kvm_mmuinfo lists vCPU 0's four entries, and nothing reads others
        if (a.unmapped_base == vm.vcpus.front().pae_root) return {Shows::changed, k + "::kvm_mmuinfo", "", DCMD_OK};
        return {Shows::same, "", "", DCMD_OK};
    case C::alias_count:
        return {Shows::err, k + "::walk kvm_mem_alias",
                fmt::format("claim {} aliases, but only 0 to 4 (KVM_ALIAS_SLOTS) exist", static_cast<int32_t>(a.new_value)),
                DCMD_OK};
    case C::ring_ent: {  // the ring lists other entries; nothing is unreadable
        const BuiltVcpu& v = vcpu_at(vm, a.addr, l.size("struct kvm_vcpu"));
        EXPECT_EQ(a.addr, v.ringbuf + l.offset("kvm_ringbuf_t", "kvmr_ent"));
        return {Shows::changed, hex(v.ringbuf) + "::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry", "", DCMD_OK};
    }
    case C::spt_ancestor: case C::spt_self:
        return {Shows::out, k + "::kvm_mmuinfo", "^^-- ERROR: cycle: kvm_mmu_page 0x"};
    case C::pte_no_page:
        return {Shows::out, k + "::kvm_mmuinfo",
                fmt::format("ERROR: leaf pfn {:#x} has no page_t: no memseg covers it",
                            (a.new_value & MDBSIM_PT64_ADDR_MASK) >> 12)};
    case C::avl_order:
        return {Shows::out, k + "::kvm_mmuinfo -v", "VIOLATION: kvm_avlmp: kvm_mmu_page 0x"};
    case C::avl_parent:
        return {Shows::err, k + "::walk kvm_mmu_page", "twice (cycle)"};
    case C::avl_cycle:  // a left child back to the root is too deep; a right one is a revisit
        return {Shows::err, k + "::walk kvm_mmu_page", "mdb: avl walk: "};
    case C::memseg_loop:
        return {Shows::err, k + "::kvm_mmuinfo", "mdb: memseg walk: cycle detected at memseg 0x"};
    case C::memseg_pagenum:  // the listing reports it where the frame is used; -v always
        return {Shows::out, k + "::kvm_mmuinfo -v",
                "kmp_avlspt 0x" + hex(a.addr - offsetof(page_t, p_pagenum)) + " is not the page_t of its frame"};
    case C::root_invalid: case C::root_garbage:
        return {Shows::out, k + "::kvm_mmuinfo", "ERROR: could not find page private for MMU Root\n"};
    }
    ADD_FAILURE() << "no expectation for " << to_string(a.kind);
    return {};
}

// Every kind on every layout profile: the corruptions write through the target's profile and our
// dmod reads through it, so each kind must show the same way on each.
class KvmCorrupt : public ::testing::TestWithParam<std::tuple<Corruption, std::string>> {};

// Every command of every VM, and their results (one session at a time: the module API acts on the
// newest live session).
std::map<std::string, Result> run_all(mdbsim::sim::Target& t, const BuiltKvm& kvm,
                                      const std::string& extra = {}) {
    Harness h(t);
    std::map<std::string, Result> results;
    // One command at a time, so that an aborted command does not hide the ones after it.
    for (const BuiltVm& vm : kvm.vms)
        for (const std::string& c : lines(all_commands(vm))) results.emplace(c, h.run(c));
    if (!extra.empty()) results.emplace(extra, h.run(extra));
    return results;
}

TEST_P(KvmCorrupt, EveryCommandEndsAndTheDamageShowsWhereItIsRead) {
    // Builds are deterministic: a damaged scenario has the undamaged one's addresses.
    const auto& [kind, layout] = GetParam();
    BuiltScenario pristine = build({rich_vm(1), rich_vm(2)}, layout);
    for (uint64_t seed : {0, 1, 2}) {
        Damaged d;
        try {
            d = damaged(kind, seed, std::nullopt, layout);
        } catch (const std::invalid_argument& e) {
            GTEST_SKIP() << e.what();
        }
        SCOPED_TRACE(d.applied.description);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        const Expectation e = expected(vm, d.applied, Layout::get(layout));
        const auto before = run_all(*pristine.target, pristine.kvm, e.command);
        const auto after = run_all(*d.scen.target, d.scen.kvm, e.command);
        if (e.where == Shows::same) {
            for (const auto& [c, r] : after) {
                const Result& u = before.at(c);
                EXPECT_TRUE(r.out == u.out && r.err == u.err && r.status == u.status)
                    << c << ": damage our dmod never reads changed the result\n" << r.err;
            }
            continue;
        }
        const Result& r = after.at(e.command);
        EXPECT_EQ(r.status, e.status) << e.command << "\n" << r.err;
        switch (e.where) {
        case Shows::err:
            EXPECT_NE(r.err.find(e.text), std::string::npos) << e.command << ": expected \"" << e.text << "\" in\n" << r.err;
            break;
        case Shows::out:
            EXPECT_NE(r.out.find(e.text), std::string::npos)
                << e.command << ": expected \"" << e.text << "\" in\n" << r.out.substr(0, 4000);
            break;
        case Shows::changed:
            EXPECT_NE(r.out, before.at(e.command).out) << e.command << ": the damage does not show";
            break;
        case Shows::same:
            break;
        }
    }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, KvmCorrupt,
                         ::testing::Combine(::testing::ValuesIn(all_corruptions()),
                                            ::testing::Values(std::string("pre-ept"), std::string("upstream"))),
                         [](const auto& info) {
                             std::string n = std::string(to_string(std::get<0>(info.param))) + "_" +
                                             std::get<1>(info.param);
                             for (char& c : n)
                                 if (c == '-') c = '_';
                             return n;
                         });

// Specific damage, specific message.

TEST(KvmCorruptMessages, NaliasesOutOfRangeIsClampedWithAWarning) {
    for (int64_t v : {5, 1000, -1}) {
        Damaged d = damaged(Corruption::alias_count, 0, v);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        Harness h(*d.scen.target);
        int rc = 0;
        auto seen = h.walk("kvm_mem_alias", vm.kvm, &rc);
        EXPECT_EQ(rc, 0);
        EXPECT_EQ(seen.size(), v < 0 ? 0u : 4u) << v;
        auto r = h.run(hex(vm.kvm) + "::walk kvm_mem_alias");
        EXPECT_NE(r.err.find(fmt::format("claim {} aliases, but only 0 to 4 (KVM_ALIAS_SLOTS) exist", v)),
                  std::string::npos)
            << r.err;
    }
}

TEST(KvmCorruptMessages, UnreadableMemslotsFailTheWalk) {
    Damaged d = damaged(Corruption::memslots_wild, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::walk kvm_memory_slot");
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("mdb: couldn't read memslots at " + hex(d.applied.new_value)), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("failed to perform walk"), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
    r = h.run("1000::kvm_gpa2qva " + hex(vm.kvm));
    EXPECT_NE(r.err.find("failed to walk 'kvm_memory_slot' for " + hex(vm.kvm)), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST(KvmCorruptMessages, UnreadableAliasesFailGpa2qvaNamingTheAliasWalker) {
    Damaged d = damaged(Corruption::aliases_wild, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run("1000::kvm_gpa2qva " + hex(vm.kvm));
    EXPECT_NE(r.err.find("couldn't read aliases at"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("failed to walk 'kvm_mem_alias' for " + hex(vm.kvm)), std::string::npos) << r.err;
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST(KvmCorruptMessages, ShadowCyclesAreReportedNotFollowed) {
    for (Corruption kind : {Corruption::spt_ancestor, Corruption::spt_self}) {
        Damaged d = damaged(kind, 0);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        Harness h(*d.scen.target);
        auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
        EXPECT_EQ(r.status, DCMD_ERR) << d.applied.description;
        EXPECT_NE(r.out.find("^^-- ERROR: cycle: kvm_mmu_page 0x"), std::string::npos)
            << d.applied.description << "\n" << r.out.substr(0, 4000);
    }
}

TEST(KvmCorruptMessages, FrameWithoutPageTIsReported) {
    Damaged d = damaged(Corruption::pte_no_page, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.out.find("has no page_t: no memseg covers it"), std::string::npos)
        << d.applied.description;
}

TEST(KvmCorruptMessages, AvlCycleEndsWithAnError) {
    Damaged d = damaged(Corruption::avl_cycle, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::walk kvm_mmu_page");
    EXPECT_FALSE(r.err.empty());
    // Searches for existing keys never take the bad link, so the listing itself still works;
    // -v walks the whole tree and must fail on the cycle.
    r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_OK) << d.applied.description;
    r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
    EXPECT_EQ(r.status, DCMD_ERR) << d.applied.description;
    EXPECT_FALSE(r.err.empty());
}

TEST(KvmCorruptMessages, VmListCycleEnds) {
    Damaged d = damaged(Corruption::vm_list_cycle, 0);
    Harness h(*d.scen.target);
    auto r = h.run("::walk kvm");
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(r.status, DCMD_ERR);
}

TEST(KvmCorruptMessages, RootGarbage) {
    Damaged d = damaged(Corruption::root_garbage, 0);
    const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
    Harness h(*d.scen.target);
    auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo");
    EXPECT_EQ(r.status, DCMD_ERR);
    EXPECT_NE(r.out.find("ERROR: could not find page private for MMU Root\n\n"), std::string::npos);
}

TEST(KvmCorruptMessages, VerifyReportsAvlOrderAndPagenum) {
    for (Corruption kind : {Corruption::avl_order, Corruption::memseg_pagenum}) {
        Damaged d = damaged(kind, 0);
        const BuiltVm& vm = d.scen.kvm.vms[d.applied.vm];
        Harness h(*d.scen.target);
        auto r = h.run(hex(vm.kvm) + "::kvm_mmuinfo -v");
        EXPECT_EQ(r.status, DCMD_ERR) << d.applied.description;
        EXPECT_TRUE(r.out.find("VIOLATION") != std::string::npos ||
                    r.out.find("ERROR") != std::string::npos)
            << d.applied.description;
    }
}

}  // namespace
}  // namespace kvmtest
