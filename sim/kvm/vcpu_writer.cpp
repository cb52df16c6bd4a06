// KvmBuilder::build_vcpus: each vCPU with its ring buffer (filled by the recording rule) and its
// MMU context (root, levels, pae_root page below 4 GiB).
#include <fmt/format.h>

#include <algorithm>

#include "mdbsim/sim/kvm/builder.hpp"
#include "structs.hpp"

namespace mdbsim::sim::kvm {

using detail::fill_kstats;

namespace {

// An array of ring entries located once: the first entry, the distance between entries, and
// each member within an entry. Naming every member of the ring's 512 entries by its own path
// ("kvcpu_ringbuf.kvmr_buf[37].kvmre_tsc") was a third of mdbsim's start-up.
struct EntryArray {
    uint64_t first, stride;
    uint64_t tag, cpuid, thread, tsc, payload;
};

EntryArray entry_array(const StructBuf& v, const std::string& array, size_t count) {
    (void)v.offset(fmt::format("{}[{}]", array, count - 1));  // the profile's array holds count
    const std::string e0 = array + "[0]";
    const uint64_t first = v.offset(e0);
    auto member = [&](const char* name, uint64_t width) {
        const Field f = v.field(e0 + "." + name);
        if (f.size != width)
            throw std::logic_error(fmt::format("layout '{}': {}.{} is {} bytes, written with {}", v.layout().name(),
                                               e0, name, f.size, width));
        return f.offset - first;
    };
    return {first, count > 1 ? v.offset(array + "[1]") - first : 0, member("kvmre_tag", 4), member("kvmre_cpuid", 4),
            member("kvmre_thread", 8), member("kvmre_tsc", 8), member("kvmre_payload", 8)};
}

void put_ring_entry(StructBuf& v, const EntryArray& a, size_t i, const RingEvent& e) {
    const uint64_t at = a.first + i * a.stride;
    v.set_at<uint32_t>(at + a.tag, e.tag);
    v.set_at<uint32_t>(at + a.cpuid, e.cpuid);
    v.set_at<uint64_t>(at + a.thread, e.thread);
    v.set_at<uint64_t>(at + a.tsc, e.tsc);
    v.set_at<uint64_t>(at + a.payload, e.payload);
}

// The ring by the recording rule; a profile with more tags than the rule records (upstream's
// twelfth) leaves the others zero, as a kernel that never recorded them would.
void fill_ring(StructBuf& v, const std::string& ring, const RingSpec& spec) {
    const RingContents c = ring_contents(spec);
    const EntryArray buf = entry_array(v, ring + ".kvmr_buf", kRingEntries);
    for (size_t i = 0; i < kRingEntries; ++i)
        put_ring_entry(v, buf, i, c.slots[i]);
    const EntryArray taglast = entry_array(v, ring + ".kvmr_taglast", kRingTagMax + 1);
    for (size_t t = 0; t <= kRingTagMax; ++t) {
        put_ring_entry(v, taglast, t, c.taglast[t]);
        v.set<uint32_t>(fmt::format("{}.kvmr_tagcount[{}]", ring, t), c.tagcount[t]);
    }
    v.set<uint32_t>(ring + ".kvmr_ent", c.ent);
}

// An FPU save area as the kernel initializes one, in profiles that embed it in the vCPU.
void init_fx(StructBuf& v, const std::string& path) {
    struct fxsave_state fx{};
    fx.fx_fcw = 0x37f;   // the FPU's reset control word
    fx.fx_mxcsr = 0x1f80;
    fx.fx_mxcsr_mask = 0xffff;
    v.set(path, fx);
}

bool has_member(const Layout& l, const char* type, const char* member) {
    const std::vector<std::string> m = l.members(type);
    return std::find(m.begin(), m.end(), member) != m.end();
}

}  // namespace

void KvmBuilder::build_vcpus(BuiltVm& vm, const VmSpec& spec) {
    for (size_t i = 0; i < vm.vcpus.size(); ++i) {
        BuiltVcpu& bv = vm.vcpus[i];
        const VcpuSpec& vs = spec.vcpus[i];

        // pae_root: a physical page below 4 GiB with four INVALID_PAGE entries, also mapped in kmem.
        bv.pae_root_pfn = low_frame();
        bv.pae_root = heap_->alloc_pages(1);
        const uint64_t invalid[4] = {kInvalidPage, kInvalidPage, kInvalidPage, kInvalidPage};
        t_.put_bytes(bv.pae_root, invalid, sizeof invalid);
        t_.pput_bytes(bv.pae_root_pfn << 12, invalid, sizeof invalid);
        bv.root_hpa = (vs.root_loaded && vm.root_hpa != kInvalidPage) ? vm.root_hpa : kInvalidPage;

        StructBuf v(layout_, "struct kvm_vcpu");
        v.set<uint64_t>("kvm", vm.kvm);
        v.set<int32_t>("vcpu_id", static_cast<int32_t>(i));
        v.set<int32_t>("cpu", vs.host_cpu);
        v.set<int32_t>("fpu_active", 1);
        fill_kstats(v, "kvcpu_stats", "kvm_vcpu_stats_t", std::string_view("kvmvs_").size(),
                    {{"id", static_cast<uint64_t>(i)}, {"exits", vs.ring.recorded}});
        fill_ring(v, "kvcpu_ringbuf", vs.ring);

        v.set<uint64_t>("arch.cr0", 0x80050033);  // PG | AM | WP | NE | ET | MP | PE: a long-mode guest
        v.set<uint64_t>("arch.efer", 0xd01);      // SCE | LME | LMA | NXE
        v.set<uint64_t>("arch.apic_base", 0xfee00900);
        v.set<uint64_t>(fmt::format("arch.regs[{}]", NR_VCPU_REGS - 1), 0xffffffff81000000ULL + i * 0x40);  // rip
        if (has_member(layout_, "struct kvm_vcpu_arch", "host_fx_image")) {
            init_fx(v, "arch.host_fx_image");
            init_fx(v, "arch.guest_fx_image");
        }
        v.set<uint64_t>("arch.mmu.root_hpa", bv.root_hpa);
        v.set<int32_t>("arch.mmu.root_level", PT64_ROOT_LEVEL);
        v.set<int32_t>("arch.mmu.shadow_root_level", PT64_ROOT_LEVEL);
        union kvm_mmu_page_role role{};
        role.glevels = 4;
        role.access = ACC_ALL;
        role.cr0_wp = 1;
        v.set("arch.mmu.base_role", role);
        v.set<uint64_t>("arch.mmu.pae_root", bv.pae_root);
        v.set<uint64_t>("arch.mmu.alloc_pae_root", bv.pae_root);
        t_.put_bytes(bv.addr, v.data(), v.size());
    }
}

}  // namespace mdbsim::sim::kvm
