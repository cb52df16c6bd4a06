#include "original_compare.hpp"

#include <regex>

#include "kvm_harness.hpp"

namespace kvmtest {

using namespace mdbsim::sim::kvm;

std::vector<std::string> original_suite_commands(const BuiltKvm& kvm) {
    std::vector<std::string> cmds = {"::walk kvm", "::walk kvm | ::kvm_mmuinfo",
                                     "::walk kvm | ::kvm_gsiroutes"};
    for (const BuiltVm& vm : kvm.vms) {
        std::string k = hex(vm.kvm);
        cmds.push_back(k + "::walk kvm_memory_slot");
        cmds.push_back(k + "::walk kvm_mem_alias");
        cmds.push_back(k + "::kvm_gsiroutes");
        cmds.push_back(k + "::kvm_mmuinfo");
        // Slot starts, ends and middles, through aliases, and an address no slot holds.
        for (const MemslotSpec& m : vm.memslots_used) {
            for (uint64_t gfn : {m.base_gfn, m.base_gfn + m.npages / 2, m.base_gfn + m.npages - 1})
                cmds.push_back(hex((gfn << 12) | 0x123) + "::kvm_gpa2qva " + k);
        }
        for (const AliasSpec& a : vm.alias_entries)
            cmds.push_back(hex(a.base_gfn << 12) + "::kvm_gpa2qva " + k);
        cmds.push_back("fff0000000000::kvm_gpa2qva " + k);
        for (const BuiltVcpu& v : vm.vcpus) {
            cmds.push_back(hex(v.ringbuf) + "::walk kvm_ringbuf_entry");
            cmds.push_back(hex(v.ringbuf) + "::walk kvm_ringbuf_entry | ::kvm_ringbuf_entry");
        }
    }
    return cmds;
}

std::string mask_mmu_line(const std::string& out) {
    static const std::regex mmu("MMU Info -- mmu: 0x[0-9a-f]+");
    return std::regex_replace(out, mmu, "MMU Info -- mmu: 0x<masked>");
}

std::vector<Mismatch> compare_with_original(mdbsim::sim::Target& t,
                                            const std::vector<std::string>& commands,
                                            const std::string& original) {
    std::vector<std::string> ours, orig;
    {
        Harness h(t, our_dmod());
        for (const std::string& c : commands) ours.push_back(mask_mmu_line(h.run(c).out));
    }
    {
        Harness h(t, original.empty() ? original_dmod() : original);
        for (const std::string& c : commands) orig.push_back(mask_mmu_line(h.run(c).out));
    }
    std::vector<Mismatch> bad;
    for (size_t i = 0; i < commands.size(); ++i)
        if (ours[i] != orig[i]) bad.push_back({commands[i], ours[i], orig[i]});
    return bad;
}

}  // namespace kvmtest
