// KvmBuilder::build_vcpus: each vCPU with its ring buffer (filled by the recording rule) and its
// MMU context (root, levels, pae_root page below 4 GiB).
#include <fmt/format.h>

#include <algorithm>

#include "mdbsim/sim/kvm/builder.hpp"
#include "structs.hpp"

namespace mdbsim::sim::kvm {

using detail::tptr;
using detail::zeroed;

namespace {

const char* const kVcpuStatNames[] = {
    "id", "nmi-injections", "irq-injections", "fpu-reload", "host-state-reload",
    "insn-emulation", "insn-emulation-fail", "exits", "halt-exits", "irq-exits",
    "io-exits", "mmio-exits", "nmi-window-exits", "irq-window-exits", "request-irq-exits",
    "signal-exits", "preempt-exits", "halt-wakeup", "invlpg", "pf-guest", "pf-fixed",
    "hypercalls", "zonename",
};
static_assert(sizeof kVcpuStatNames / sizeof kVcpuStatNames[0] == sizeof(kvm_vcpu_stats_t) / sizeof(kstat_named_t));

void fill_stats(kvm_vcpu_stats_t& s, int id, uint64_t exits) {
    auto* k = reinterpret_cast<kstat_named_t*>(&s);
    for (size_t i = 0; i < std::size(kVcpuStatNames); ++i)
        detail::named_u64(k[i], kVcpuStatNames[i], 0);
    s.kvmvs_id.value.ui64 = static_cast<uint64_t>(id);
    s.kvmvs_exits.value.ui64 = exits;
    s.kvmvs_zonename.data_type = KSTAT_DATA_STRING;
}

void fill_ring(kvm_ringbuf_t& r, const RingSpec& spec) {
    const RingContents c = ring_contents(spec);
    auto copy = [](kvm_ringbuf_entry_t& dst, const RingEvent& e) {
        dst.kvmre_tag = e.tag;
        dst.kvmre_cpuid = e.cpuid;
        dst.kvmre_thread = e.thread;
        dst.kvmre_tsc = e.tsc;
        dst.kvmre_payload = e.payload;
    };
    for (size_t i = 0; i < kRingEntries; ++i)
        copy(r.kvmr_buf[i], c.slots[i]);
    for (size_t t = 0; t <= kRingTagMax; ++t) {
        copy(r.kvmr_taglast[t], c.taglast[t]);
        r.kvmr_tagcount[t] = c.tagcount[t];
    }
    r.kvmr_ent = c.ent;
}

void init_fx(struct fxsave_state& fx) {
    fx.fx_fcw = 0x37f;   // the FPU's reset control word
    fx.fx_mxcsr = 0x1f80;
    fx.fx_mxcsr_mask = 0xffff;
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

        auto v = zeroed<struct kvm_vcpu>();
        v->kvm = tptr<struct kvm>(vm.kvm);
        v->vcpu_id = static_cast<int>(i);
        v->cpu = vs.host_cpu;
        v->fpu_active = 1;
        fill_stats(v->kvcpu_stats, static_cast<int>(i), vs.ring.recorded);
        fill_ring(v->kvcpu_ringbuf, vs.ring);

        struct kvm_vcpu_arch& a = v->arch;
        a.cr0 = 0x80050033;  // PG | AM | WP | NE | ET | MP | PE: a long-mode guest
        a.efer = 0xd01;      // SCE | LME | LMA | NXE
        a.apic_base = 0xfee00900;
        a.regs[NR_VCPU_REGS - 1] = 0xffffffff81000000ULL + i * 0x40;  // rip
        init_fx(a.host_fx_image);
        init_fx(a.guest_fx_image);
        a.mmu.root_hpa = bv.root_hpa;
        a.mmu.root_level = PT64_ROOT_LEVEL;
        a.mmu.shadow_root_level = PT64_ROOT_LEVEL;
        a.mmu.base_role.glevels = 4;
        a.mmu.base_role.access = ACC_ALL;
        a.mmu.base_role.cr0_wp = 1;
        a.mmu.pae_root = tptr<uint64_t>(bv.pae_root);
        a.mmu.alloc_pae_root = tptr<void>(bv.pae_root);
        t_.put_bytes(bv.addr, v.get(), sizeof *v);
    }
}

}  // namespace mdbsim::sim::kvm
